#version 450
// Greedy choice over one row of logits: out[0] = the lowest index of the largest value, out[1] = 1 when the row
// holds a NaN or infinite value.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer L { float logits[]; };
layout(std430, binding = 1) writeonly buffer O { uint result[]; };
layout(push_constant) uniform Params { uint count; uint row; } p;
shared float bestV[256];
shared uint bestI[256];
shared uint bad[256];

void main() {
    uint tid = gl_LocalInvocationID.x;
    uint base = p.row * p.count;
    float bv = -3.4028235e38;
    uint bi = 0xFFFFFFFFu;
    uint nf = 0u;
    for (uint i = tid; i < p.count; i += 256u) {
        float v = logits[base + i];
        if (isnan(v) || isinf(v)) nf = 1u;
        if (bi == 0xFFFFFFFFu || v > bv) { bv = v; bi = i; }
    }
    bestV[tid] = bv; bestI[tid] = bi; bad[tid] = nf;
    barrier();
    for (uint s = 128u; s > 0u; s >>= 1) {
        if (tid < s) {
            float ov = bestV[tid + s]; uint oi = bestI[tid + s];
            if (oi != 0xFFFFFFFFu && (bestI[tid] == 0xFFFFFFFFu || ov > bestV[tid] || (ov == bestV[tid] && oi < bestI[tid]))) {
                bestV[tid] = ov; bestI[tid] = oi;
            }
            bad[tid] |= bad[tid + s];
        }
        barrier();
    }
    if (tid == 0u) { result[0] = bestI[0]; result[1] = bad[0]; }
}
