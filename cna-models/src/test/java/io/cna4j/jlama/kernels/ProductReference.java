package io.cna4j.jlama.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.tensor.AbstractTensor;
import org.assertj.core.data.Offset;

/** The kernel tests' double-precision reference for {@code out = a * w^T}. */
final class ProductReference {
    /** One weight value: row (output column) {@code c}, input column {@code k}. */
    @FunctionalInterface
    interface WeightValues {
        float get(int c, int k);
    }

    private ProductReference() {}

    /**
     * Asserts that each cell of {@code out} ({@code rows} x {@code n}) is within float32 summation error of the double
     * sum of its k products: at most {@code k * 2^-24 * sum |terms|} (a generous, standard bound).
     */
    static void assertMatches(AbstractTensor a, WeightValues w, float[] out, int rows, int k, int n) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0, abs = 0;
                for (int kk = 0; kk < k; kk++) {
                    ref += (double) a.get(i, kk) * w.get(j, kk);
                    abs += Math.abs((double) a.get(i, kk) * w.get(j, kk));
                }
                assertThat((double) out[i * n + j]).as("cell %d,%d", i, j).isCloseTo(ref, Offset.offset(k * 0x1p-24 * abs + 1e-30));
            }
        }
    }

    /**
     * Multiplies the packed activations ({@code rows} x {@code k}) by {@code w} whole, then split in two at every
     * column, then each row alone (the 1 x 4 decode tile rather than the 4 x 4 one), and asserts every split and
     * every row bit-identical to the whole; returns the whole product.
     */
    static float[] assertSplitsAndSingleRowsAgree(float[] packed, int rows, int k, Weights w) {
        int n = w.rows();
        float[] whole = new float[rows * n];
        Gemm.multiply(packed, rows, w, whole, 0, n);
        for (int split = 1; split < n; split++) {
            float[] parts = new float[rows * n];
            Gemm.multiply(packed, rows, w, parts, 0, split);
            Gemm.multiply(packed, rows, w, parts, split, n);
            for (int i = 0; i < whole.length; i++) {
                assertThat(Float.floatToRawIntBits(parts[i])).as("split %d cell %d", split, i).isEqualTo(Float.floatToRawIntBits(whole[i]));
            }
        }
        for (int row = 0; row < rows; row++) {
            float[] one = new float[n];
            Gemm.multiply(java.util.Arrays.copyOfRange(packed, row * k, (row + 1) * k), 1, w, one, 0, n);
            for (int j = 0; j < n; j++) {
                assertThat(Float.floatToRawIntBits(one[j])).as("row %d col %d", row, j).isEqualTo(Float.floatToRawIntBits(whole[row * n + j]));
            }
        }
        return whole;
    }
}
