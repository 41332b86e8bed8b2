#version 450
// x[t, c] += scale * v[vOffset + c] in every row t (an additive steering vector; scale = 1 and a row of the
// same width makes it the residual add when broadcast is 0).
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer V { float v[]; };
layout(push_constant) uniform Params { uint width; uint broadcast; float scale; uint vOffset; } p;

void main() {
    uint c = gl_GlobalInvocationID.x;
    uint t = gl_WorkGroupID.y;
    if (c >= p.width) return;
    uint o = t * p.width + c;
    float add = p.broadcast != 0u ? v[p.vOffset + c] : v[o];
    x[o] = x[o] + p.scale * add;
}
