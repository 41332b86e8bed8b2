#version 450
// RMSNorm of rows [firstRow, firstRow + gl_NumWorkGroups.x) of x into rows [0, n) of y:
// y = x / sqrt(mean(x^2) + eps) * w. One workgroup per row.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer W { float w[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Params { uint width; uint firstRow; float eps; } p;
shared float partial[256];

void main() {
    uint row = gl_WorkGroupID.x;
    uint tid = gl_LocalInvocationID.x;
    uint in0 = (p.firstRow + row) * p.width;
    float sum = 0.0;
    for (uint c = tid; c < p.width; c += 256u) { float v = x[in0 + c]; sum += v * v; }
    partial[tid] = sum;
    barrier();
    for (uint s = 128u; s > 0u; s >>= 1) {
        if (tid < s) partial[tid] += partial[tid + s];
        barrier();
    }
    float scale = 1.0 / sqrt(partial[0] / float(p.width) + p.eps);
    uint out0 = row * p.width;
    for (uint c = tid; c < p.width; c += 256u) y[out0 + c] = x[in0 + c] * scale * w[c];
}
