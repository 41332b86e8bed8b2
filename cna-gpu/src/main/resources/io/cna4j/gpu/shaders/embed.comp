#version 450
#extension GL_GOOGLE_include_directive : require
// Embedding gather for the rows of one chunk of the table: out[t, :] = table[ids[t] - firstRow, :]
// for the tokens whose id falls in [firstRow, firstRow + rows).
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Ids { uint ids[]; };
#define WBINDING 1
#include "weights.glsl"
layout(std430, binding = 2) writeonly buffer Out { float outv[]; };
layout(push_constant) uniform Params { uint hidden; uint tokens; uint firstRow; uint rows; } p;

void main() {
    uint t = gl_WorkGroupID.y;
    uint id = ids[t];
    if (id < p.firstRow || id >= p.firstRow + p.rows) return;
    uint base = (id - p.firstRow) * p.hidden;
    for (uint c = gl_LocalInvocationID.x; c < p.hidden; c += 64u) {
        outv[t * p.hidden + c] = weight(base + c);
    }
}
