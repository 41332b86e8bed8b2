#version 450
// The MLP's activation: gate = silu(gate) * up, in place (silu(x) = x / (1 + exp(-x))).
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer G { float g[]; };
layout(std430, binding = 1) readonly buffer U { float u[]; };
layout(push_constant) uniform Params { uint count; } p;

void main() {
    uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u;
    if (i >= p.count) return;
    float x = g[i];
    g[i] = x / (1.0 + exp(-x)) * u[i];
}
