#version 450
#extension GL_GOOGLE_include_directive : require
// The same product as matmul.comp, y[t, nOffset + n] (+)= x[t, :] . W[n, :] (+ bias), with one invocation per
// output row and TILE tokens, no shared memory and no barriers: the variant for CPU devices (lavapipe runs an
// invocation per SIMD lane, and barriers cost it far more than they save).
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
#define WBINDING 1
#include "weights.glsl"
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) buffer Y { float y[]; };
layout(push_constant) uniform Params { uint k; uint n; uint tokens; uint nOffset; uint hasBias; uint accumulate; uint rowsInChunk; } p;
#define TILE 8

void main() {
    uint row = gl_GlobalInvocationID.x;
    if (row >= p.rowsInChunk) return;
    uint t0 = gl_WorkGroupID.y * TILE;
    uint count = min(uint(TILE), p.tokens - t0);
    float acc[TILE];
    for (uint i = 0u; i < TILE; i++) acc[i] = 0.0;
    uint wrow = row * p.k;
    for (uint c = 0u; c < p.k; c++) {
        float wv = weight(wrow + c);
        for (uint i = 0u; i < TILE; i++) {
            if (i < count) acc[i] += wv * x[(t0 + i) * p.k + c];
        }
    }
    uint col = p.nOffset + row;
    for (uint i = 0u; i < count; i++) {
        float v = acc[i];
        if (p.hasBias != 0u) v += bias[col];
        uint o = (t0 + i) * p.n + col;
        if (p.accumulate != 0u) y[o] += v; else y[o] = v;
    }
}
