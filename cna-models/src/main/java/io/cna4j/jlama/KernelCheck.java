package io.cna4j.jlama;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.BFloat16BufferTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import com.github.tjake.jlama.tensor.operations.TensorOperations;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Checks that jlama's active tensor-operations provider multiplies matrices correctly before a model is run
 * on it, so that a faulty kernel fails loudly instead of silently corrupting activations.
 *
 * <p>Why: jlama-native 0.8.4's batched kernels ({@code gemm_f32}, {@code gemm_f32_bf16}) leave a few output
 * cells unwritten (they stay 0) whenever the batch has 6 or more rows and its row count is not a multiple of 5.
 * Prefill multiplies a whole prompt at once, so every prompt of 6+ tokens gets some wrong MLP and attention
 * values, at the last token too, which is where discovery reads. jlama's pure-Java (Vector API) provider is
 * correct. {@link JlamaModels#load} runs this check once per JVM.
 *
 * {@snippet :
 * KernelCheck.verify();   // throws ModelLoadException naming the provider and a wrong cell
 * }
 */
public final class KernelCheck {
    /** One batched product {@code c = a * b^T}: {@code a} is rows x k, {@code b} is n x k, {@code c} rows x n. */
    @FunctionalInterface
    public interface MatMul {
        void multiply(AbstractTensor c, AbstractTensor a, AbstractTensor b, int k, int n);
    }

    private static final int K = 128, N = 64, MAX_ROWS = 12;
    private static volatile @Nullable String verdict;

    private KernelCheck() {}

    /**
     * Verifies jlama's active provider ({@link TensorOperationsProvider#get()}); the result is kept for the JVM.
     *
     * @throws ModelLoadException when it computes a wrong product, with the provider, the cell and how to fix it
     */
    public static void verify() {
        String v = verdict;
        if (v == null) {
            TensorOperations ops = TensorOperationsProvider.get();
            v = check(ops.name(), (c, a, b, k, n) -> ops.batchDotProduct(c, a, b, 0, 0, k, 0, 0, n));
            verdict = v;
        }
        if (!v.isEmpty()) throw new ModelLoadException(v);
    }

    /**
     * Multiplies random F32 x F32, F32 x BF16 and BF16 x BF16 matrices (the products jlama runs for F32 and
     * BF16 models) of 1 to 12 rows with {@code matMul} and compares
     * each cell with a double-precision reference.
     *
     * @return an empty string when every cell is right, else the message that {@link #verify} throws
     */
    public static String check(String provider, MatMul matMul) {
        String[] kinds = {"F32 x F32", "F32 x BF16", "BF16 x BF16"};
        for (int kind = 0; kind < kinds.length; kind++) {
            for (int rows = 1; rows <= MAX_ROWS; rows++) {
                SplittableRandom r = new SplittableRandom(rows * 31L + kind * 7L);
                FloatBufferTensor aF32 = random(r, rows, K);
                FloatBufferTensor bF32 = random(r, N, K);
                AbstractTensor a = kind == 2 ? new BFloat16BufferTensor(aF32) : aF32;
                AbstractTensor b = kind >= 1 ? new BFloat16BufferTensor(bF32) : bF32;
                FloatBufferTensor c = new FloatBufferTensor(rows, N);
                matMul.multiply(c, a, b, K, N);
                int wrong = 0;
                String first = "";
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < N; j++) {
                        double ref = 0;
                        for (int k = 0; k < K; k++) ref += (double) a.get(i, k) * b.get(j, k);
                        float got = c.get(i, j);
                        if (!(Math.abs(ref - got) <= 1e-3 * (1 + Math.abs(ref)))) {
                            if (wrong++ == 0) first = String.format("row %d, column %d: %s instead of %.5f", i, j, got, ref);
                        }
                    }
                }
                if (wrong > 0) {
                    return String.format("jlama's tensor operations (%s) multiply matrices wrongly: %d of %d cells of a %dx%d by "
                            + "%dx%d (%s) product are wrong, first at %s. jlama-native 0.8.4 does this for batches of 6 or more "
                            + "rows, which corrupts every prompt's prefill. Remove com.github.tjake:jlama-native from the "
                            + "classpath, or start the JVM with -Djlama.force_panama_tensor_operations=true.",
                            provider, wrong, rows * N, rows, K, K, N, kinds[kind], first);
                }
            }
        }
        return "";
    }

    private static FloatBufferTensor random(SplittableRandom r, int rows, int cols) {
        FloatBufferTensor t = new FloatBufferTensor(rows, cols);
        for (int i = 0; i < rows; i++) for (int k = 0; k < cols; k++) t.set((float) r.nextDouble(-1, 1), i, k);
        return t;
    }
}
