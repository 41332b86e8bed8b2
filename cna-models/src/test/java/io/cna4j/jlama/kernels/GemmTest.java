package io.cna4j.jlama.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.BFloat16BufferTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import com.github.tjake.jlama.tensor.Q8ByteBufferTensor;
import com.github.tjake.jlama.tensor.TensorShape;
import com.github.tjake.jlama.util.Pair;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link Gemm} and {@link Projections} against a double-precision reference on odd shapes, BF16 and F32 weights. */
class GemmTest {

    @ParameterizedTest(name = "{0} rows x {1} k x {2} n, bf16 {3}")
    @CsvSource({
            "1, 64, 1, true", "1, 64, 1, false", "1, 1, 1, true", "1, 17, 5, false",
            "7, 100, 9, true", "7, 100, 9, false", "4, 33, 4, true", "8, 64, 8, false",
            "5, 576, 13, true", "13, 129, 31, false", "40, 96, 7, true", "3, 31, 3, true"})
    void matchesReference(int rows, int k, int n, boolean bf16) {
        SplittableRandom r = new SplittableRandom(rows * 1000L + k * 10L + n);
        FloatBufferTensor a = random(r, rows, k);
        AbstractTensor w = bf16 ? new BFloat16BufferTensor(random(r, n, k)) : random(r, n, k);
        Weights weights = Weights.of(w);
        float[] flat = Projections.floats(a, rows, k);
        float[] out = new float[rows * n];
        Gemm.multiply(Gemm.packActivations(flat, rows, k, weights), rows, weights, out, 0, n);
        ProductReference.assertMatches(a, w::get, out, rows, k, n);
    }

    @ParameterizedTest(name = "bf16 {0}")
    @CsvSource({"true", "false"})
    void everyColumnSplitGivesBitIdenticalResults(boolean bf16) {
        int rows = 7, k = 200, n = 23;
        SplittableRandom r = new SplittableRandom(7);
        FloatBufferTensor a = random(r, rows, k);
        Weights w = Weights.of(bf16 ? new BFloat16BufferTensor(random(r, n, k)) : random(r, n, k));
        float[] packed = Gemm.packActivations(Projections.floats(a, rows, k), rows, k, w);
        ProductReference.assertSplitsAndSingleRowsAgree(packed, rows, k, w);
    }

    @ParameterizedTest(name = "bf16 {0}")
    @CsvSource({"true", "false"})
    void givesTheSameBitsBeforeAndAfterTheJitCompilesIt(boolean bf16) {
        // the first call runs interpreted; thousands later C2 has compiled the tiles (FloatVector.reduceLanes would
        // sum lanes in another order there: jlama's kernels differ between the two, cna4j's must not)
        int rows = 9, k = 96, n = 12;
        SplittableRandom r = new SplittableRandom(11);
        Weights w = Weights.of(bf16 ? new BFloat16BufferTensor(random(r, n, k)) : random(r, n, k));
        float[] packed = Gemm.packActivations(Projections.floats(random(r, rows, k), rows, k), rows, k, w);
        float[] first = new float[rows * n];
        Gemm.multiply(packed, rows, w, first, 0, n);
        float[] later = new float[rows * n];
        for (int i = 0; i < 30_000; i++) Gemm.multiply(packed, rows, w, later, 0, n);
        for (int i = 0; i < first.length; i++) {
            assertThat(Float.floatToRawIntBits(later[i])).as("cell %d", i).isEqualTo(Float.floatToRawIntBits(first[i]));
        }
    }

    @Test
    void projectionsFillEveryOutputFromOneInput() {
        int rows = 6, k = 96, n1 = 70, n2 = 131;
        SplittableRandom r = new SplittableRandom(3);
        AbstractTensor a = new BFloat16BufferTensor(random(r, rows, k));
        Weights g = Weights.of(new BFloat16BufferTensor(random(r, n1, k)));
        Weights u = Weights.of(random(r, n2, k));
        FloatBufferTensor o1 = new FloatBufferTensor(rows, n1), o2 = new FloatBufferTensor(rows, n2);
        Projections.multiply(a, new Weights[] {g, u}, new AbstractTensor[] {o1, o2});
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n2; j++) {
                double ref = 0;
                for (int kk = 0; kk < k; kk++) ref += (double) a.get(i, kk) * u.tensor().get(j, kk);
                assertThat((double) o2.get(i, j)).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-3));
                if (j < n1) {
                    double ref1 = 0;
                    for (int kk = 0; kk < k; kk++) ref1 += (double) a.get(i, kk) * g.tensor().get(j, kk);
                    assertThat((double) o1.get(i, j)).isCloseTo(ref1, org.assertj.core.data.Offset.offset(1e-3));
                }
            }
        }
    }

    @Test
    void acceptsTensorsJlamaMarksSparseOverTheirWholeRange() {
        // jlama loads every projection for a distributed context: "sparse" rows or columns that span the whole
        // tensor on one machine; cna4j's kernels must run on them (else the seam silently falls back to jlama)
        int[] shape = {8, 64};
        assertThat(Weights.supports(new FloatBufferTensor(TensorShape.sparseRow(shape, Pair.of(0, 8))))).isTrue();
        assertThat(Weights.supports(new FloatBufferTensor(TensorShape.sparseRow(shape, Pair.of(0, 4))))).isFalse();
        assertThat(Weights.supports(new FloatBufferTensor(8, 64).sparsify(0, 32))).isFalse();
    }

    @Test
    void refusesWhatItCannotMultiply() {
        FloatBufferTensor f = new FloatBufferTensor(4, 64);
        assertThatThrownBy(() -> Weights.of(new Q8ByteBufferTensor(f))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BF16 or F32");
        Weights w = Weights.of(f);
        assertThatThrownBy(() -> Projections.multiply(new FloatBufferTensor(2, 63), new Weights[] {w}, new AbstractTensor[] {new FloatBufferTensor(2, 4)}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("63 columns");
        assertThatThrownBy(() -> Gemm.multiply(new float[64], 1, w, new float[4], 0, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static FloatBufferTensor random(SplittableRandom r, int rows, int cols) {
        FloatBufferTensor t = new FloatBufferTensor(rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t.set((float) r.nextDouble(-1, 1), i, j);
        return t;
    }
}
