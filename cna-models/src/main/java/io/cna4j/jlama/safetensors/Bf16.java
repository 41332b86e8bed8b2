package io.cna4j.jlama.safetensors;

/**
 * Conversions between {@code float} and bfloat16 (safetensors' {@code BF16}), the upper 16 bits of an IEEE
 * float32.
 *
 * <pre>{@code
 * short bits = Bf16.fromFloat(1.00390625f);  // rounds to nearest, ties to even
 * float back = Bf16.toFloat(bits);           // 1.0f
 * }</pre>
 */
public final class Bf16 {
    private Bf16() {}

    /** Rounds a float to the nearest bfloat16, ties to even; a NaN stays a (quiet) NaN, infinities stay. */
    public static short fromFloat(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** The float a bfloat16 stands for (exact: every bfloat16 is a float). */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
