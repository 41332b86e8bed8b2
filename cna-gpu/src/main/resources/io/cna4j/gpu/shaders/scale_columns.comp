#version 450
// Neuron multipliers: x[t, columns[i]] *= factors[i] in every row t.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer C { uint columns[]; };
layout(std430, binding = 2) readonly buffer F { float factors[]; };
layout(push_constant) uniform Params { uint width; uint count; uint offset; } p;

void main() {
    uint i = gl_GlobalInvocationID.x;
    uint t = gl_WorkGroupID.y;
    if (i >= p.count) return;
    uint o = t * p.width + columns[p.offset + i];
    x[o] = x[o] * factors[p.offset + i];
}
