#version 450
// Causal grouped-query attention for one (token, head) per workgroup over the key/value cache
// [positions, kvHeads * headSize]: scores into a scratch row, softmax, weighted sum of values.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Q { float q[]; };
layout(std430, binding = 1) readonly buffer KC { float kc[]; };
layout(std430, binding = 2) readonly buffer VC { float vc[]; };
layout(std430, binding = 3) coherent buffer S { float scores[]; };
layout(std430, binding = 4) writeonly buffer O { float o[]; };
layout(push_constant) uniform Params { uint tokens; uint startPos; uint heads; uint kvHeads; uint headSize; uint scoreStride; float scale; } p;
shared float red[64];

void main() {
    uint t = gl_WorkGroupID.y;
    uint h = gl_WorkGroupID.x;
    uint tid = gl_LocalInvocationID.x;
    uint len = p.startPos + t + 1u;
    uint kvh = h / (p.heads / p.kvHeads);
    uint kvWidth = p.kvHeads * p.headSize;
    uint q0 = t * p.heads * p.headSize + h * p.headSize;
    uint s0 = (t * p.heads + h) * p.scoreStride;
    float mx = -3.4028235e38;
    for (uint pos = tid; pos < len; pos += 64u) {
        uint k0 = pos * kvWidth + kvh * p.headSize;
        float dot = 0.0;
        for (uint d = 0u; d < p.headSize; d++) dot += q[q0 + d] * kc[k0 + d];
        dot *= p.scale;
        scores[s0 + pos] = dot;
        mx = max(mx, dot);
    }
    red[tid] = mx;
    barrier();
    for (uint s = 32u; s > 0u; s >>= 1) { if (tid < s) red[tid] = max(red[tid], red[tid + s]); barrier(); }
    mx = red[0];
    barrier();
    float sum = 0.0;
    for (uint pos = tid; pos < len; pos += 64u) {
        float e = exp(scores[s0 + pos] - mx);
        scores[s0 + pos] = e;
        sum += e;
    }
    red[tid] = sum;
    barrier();
    for (uint s = 32u; s > 0u; s >>= 1) { if (tid < s) red[tid] += red[tid + s]; barrier(); }
    float inv = 1.0 / red[0];
    memoryBarrierBuffer();
    barrier();
    for (uint d = tid; d < p.headSize; d += 64u) {
        float acc = 0.0;
        for (uint pos = 0u; pos < len; pos++) acc += scores[s0 + pos] * vc[pos * kvWidth + kvh * p.headSize + d];
        o[q0 + d] = acc * inv;
    }
}
