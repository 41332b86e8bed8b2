#version 450
#extension GL_GOOGLE_include_directive : require
// y[t, nOffset + n] (+)= sum_k x[t, k] * W[n, k] (+ bias[nOffset + n]) for one chunk of W's rows.
// Workgroup (n, tile): 64 threads stride over k for one output row n and TILE tokens, so each weight is read
// once per TILE tokens (decode is the TILE = 1 case of the same kernel, a GEMV), then a shared-memory reduction.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
#define WBINDING 1
#include "weights.glsl"
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) buffer Y { float y[]; };
layout(push_constant) uniform Params { uint k; uint n; uint tokens; uint nOffset; uint hasBias; uint accumulate; uint rowsInChunk; } p;
#define TILE 8
shared float partial[TILE][64];

void main() {
    uint row = gl_WorkGroupID.x;
    uint t0 = gl_WorkGroupID.y * TILE;
    uint tid = gl_LocalInvocationID.x;
    uint count = min(uint(TILE), p.tokens - t0);
    float acc[TILE];
    for (uint i = 0u; i < TILE; i++) acc[i] = 0.0;
    uint wrow = row * p.k;
    for (uint c = tid; c < p.k; c += 64u) {
        float wv = weight(wrow + c);
        for (uint i = 0u; i < TILE; i++) {
            if (i < count) acc[i] += wv * x[(t0 + i) * p.k + c];
        }
    }
    for (uint i = 0u; i < TILE; i++) partial[i][tid] = acc[i];
    barrier();
    for (uint s = 32u; s > 0u; s >>= 1) {
        if (tid < s) {
            for (uint i = 0u; i < TILE; i++) partial[i][tid] += partial[i][tid + s];
        }
        barrier();
    }
    if (tid < count) {
        uint col = p.nOffset + row;
        float v = partial[tid][0];
        if (p.hasBias != 0u) v += bias[col];
        uint o = (t0 + tid) * p.n + col;
        if (p.accumulate != 0u) y[o] += v; else y[o] = v;
    }
}
