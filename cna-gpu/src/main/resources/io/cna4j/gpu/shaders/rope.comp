#version 450
// Rotary position embedding in place on q [tokens, heads * headSize] and k [tokens, kvHeads * headSize],
// Hugging Face's rotate_half layout: pairs (j, j + headSize/2). table holds (cos, sin) per (position, j),
// computed on the host from the config's RoPE scaling.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer Q { float q[]; };
layout(std430, binding = 1) buffer K { float k[]; };
layout(std430, binding = 2) readonly buffer Table { vec2 table[]; };
layout(push_constant) uniform Params { uint tokens; uint startPos; uint heads; uint kvHeads; uint headSize; } p;

void main() {
    uint half_ = p.headSize / 2u;
    uint t = gl_WorkGroupID.y;
    uint i = gl_GlobalInvocationID.x;           // over (head, j) for q heads then k heads
    uint allHeads = p.heads + p.kvHeads;
    if (i >= allHeads * half_) return;
    uint head = i / half_;
    uint j = i % half_;
    vec2 cs = table[(p.startPos + t) * half_ + j];
    if (head < p.heads) {
        uint b = t * p.heads * p.headSize + head * p.headSize;
        float a = q[b + j], c = q[b + j + half_];
        q[b + j] = a * cs.x - c * cs.y;
        q[b + j + half_] = a * cs.y + c * cs.x;
    } else {
        uint b = t * p.kvHeads * p.headSize + (head - p.heads) * p.headSize;
        float a = k[b + j], c = k[b + j + half_];
        k[b + j] = a * cs.x - c * cs.y;
        k[b + j + half_] = a * cs.y + c * cs.x;
    }
}
