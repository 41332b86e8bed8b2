// Reading one element of a weight matrix stored as F32, BF16 or F16 (WTYPE 0, 1, 2), widened to float.
// BF16 and F16 are packed two to a uint, element 0 in the low half (safetensors is little-endian).
#if WTYPE == 0
layout(std430, binding = WBINDING) readonly buffer Weights { float wdata[]; };
float weight(uint i) { return wdata[i]; }
#else
layout(std430, binding = WBINDING) readonly buffer Weights { uint wdata[]; };
#if WTYPE == 1
float weight(uint i) {
    uint packed = wdata[i >> 1];
    return uintBitsToFloat((i & 1u) == 0u ? (packed << 16) : (packed & 0xFFFF0000u));
}
#else
float weight(uint i) {
    vec2 two = unpackHalf2x16(wdata[i >> 1]);
    return (i & 1u) == 0u ? two.x : two.y;
}
#endif
#endif
