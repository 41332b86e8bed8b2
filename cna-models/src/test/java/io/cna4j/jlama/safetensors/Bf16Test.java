package io.cna4j.jlama.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Bf16Test {
    @Test
    void everyBf16SurvivesARoundTrip() {
        for (int b = 0; b < 0x10000; b++) {
            short bits = (short) b;
            float f = Bf16.toFloat(bits);
            if (Float.isNaN(f)) assertThat(Float.isNaN(Bf16.toFloat(Bf16.fromFloat(f)))).isTrue();
            else assertThat(Bf16.fromFloat(f)).as("0x%04x", b).isEqualTo(bits);
        }
    }

    @Test
    void roundsToNearestWithTiesToEven() {
        // 1 + 2^-8 lies halfway between 1 (even mantissa) and 1 + 2^-7: ties go to 1
        assertThat(Bf16.toFloat(Bf16.fromFloat(1.00390625f))).isEqualTo(1f);
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): ties go up
        assertThat(Bf16.toFloat(Bf16.fromFloat(1.01171875f))).isEqualTo(1.015625f);
        // just above the halfway point rounds up
        assertThat(Bf16.toFloat(Bf16.fromFloat(Math.nextUp(1.00390625f)))).isEqualTo(1.0078125f);
        assertThat(Bf16.toFloat(Bf16.fromFloat(Float.MAX_VALUE))).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void nanStaysNaNEvenWhenOnlyLowMantissaBitsAreSet() {
        float lowNaN = Float.intBitsToFloat(0x7F800001);
        assertThat(Float.isNaN(Bf16.toFloat(Bf16.fromFloat(lowNaN)))).isTrue();
    }
}
