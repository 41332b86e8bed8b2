package io.cna4j.jlama.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.BFloat16BufferTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Weights#q8}: the quantization itself, and {@link Gemm} on Q8_0 weights against a reference on odd shapes. */
class Q8WeightsTest {

    @ParameterizedTest(name = "bf16 {0}")
    @CsvSource({"true", "false"})
    void everyValueIsWithinHalfAStepOfItsBlock(boolean bf16) {
        SplittableRandom r = new SplittableRandom(5);
        FloatBufferTensor f = random(r, 13, 96);
        for (int j = 32; j < 64; j++) f.set(0f, 4, j);   // an all-zero block: scale 0, every byte 0
        f.set(37.5f, 9, 70);                             // an outlier: only its own block's step grows
        AbstractTensor t = bf16 ? new BFloat16BufferTensor(f) : f;
        Weights q = Weights.q8(t);
        assertThat(q.isQ8()).isTrue();
        assertThat(q.rows()).isEqualTo(13);
        assertThat(q.columns()).isEqualTo(96);
        for (int row = 0; row < 13; row++) {
            for (int b = 0; b < 3; b++) {
                float max = 0;
                for (int j = 32 * b; j < 32 * b + 32; j++) max = Math.max(max, Math.abs(t.get(row, j)));
                float step = max / 127;
                for (int j = 32 * b; j < 32 * b + 32; j++) {
                    assertThat(q.get(row, j)).as("row %d col %d", row, j).isCloseTo(t.get(row, j), Offset.offset(step / 2 * 1.0001f + 1e-30f));
                }
            }
        }
        for (int j = 32; j < 64; j++) assertThat(q.get(4, j)).isZero();
    }

    @ParameterizedTest(name = "{0} rows x {1} k x {2} n")
    @CsvSource({"1, 32, 1", "1, 64, 5", "7, 96, 9", "4, 576, 4", "8, 64, 13", "40, 96, 7", "3, 128, 131", "13, 32, 31"})
    void productsMatchTheReferenceOfTheDequantizedValues(int rows, int k, int n) {
        SplittableRandom r = new SplittableRandom(rows * 1000L + k * 10L + n);
        FloatBufferTensor a = random(r, rows, k);
        Weights w = Weights.q8(new BFloat16BufferTensor(random(r, n, k)));
        float[] out = new float[rows * n];
        Gemm.multiply(Gemm.packActivations(Projections.floats(a, rows, k), rows, k, w), rows, w, out, 0, n);
        ProductReference.assertMatches(a, w::get, out, rows, k, n);   // the dequantized values are exact in float
    }

    @Test
    void splitsSingleRowsAndTheJitGiveBitIdenticalResults() {
        int rows = 7, k = 192, n = 23;
        SplittableRandom r = new SplittableRandom(7);
        Weights w = Weights.q8(random(r, n, k));
        float[] packed = Gemm.packActivations(Projections.floats(random(r, rows, k), rows, k), rows, k, w);
        float[] whole = ProductReference.assertSplitsAndSingleRowsAgree(packed, rows, k, w);
        float[] later = new float[rows * n];
        for (int i = 0; i < 20_000; i++) Gemm.multiply(packed, rows, w, later, 0, n);
        assertBits(later, whole, "after the JIT compiled it");
    }

    @Test
    void refusesWhatItCannotQuantizeAndKeepsSuchMatricesAsStored() {
        FloatBufferTensor odd = new FloatBufferTensor(4, 33);
        assertThat(Weights.quantizable(odd)).isFalse();
        assertThatThrownBy(() -> Weights.q8(odd)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
        Weights stored = Weights.of(odd);
        assertThat(stored.quantizedQ8()).isSameAs(stored);
        FloatBufferTensor nan = new FloatBufferTensor(3, 64);
        nan.set(Float.NaN, 2, 40);
        assertThatThrownBy(() -> Weights.q8(nan)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 2, columns 32-63");
        Weights q = Weights.q8(new FloatBufferTensor(2, 64));
        assertThat(q.quantizedQ8()).isSameAs(q);
    }

    private static void assertBits(float[] actual, float[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("%s, cell %d", what, i).isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    private static FloatBufferTensor random(SplittableRandom r, int rows, int cols) {
        FloatBufferTensor t = new FloatBufferTensor(rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t.set((float) r.nextDouble(-1, 1), i, j);
        return t;
    }
}
