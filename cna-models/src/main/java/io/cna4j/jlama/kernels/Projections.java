package io.cna4j.jlama.kernels;

import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import jdk.incubator.vector.FloatVector;

/**
 * Runs {@link Gemm} on jlama tensors, split over output columns on {@link KernelPool}: {@code out_i = a * w_i^T}
 * for one or more weight matrices that share the input {@code a} (the MLP's gate and up: the input is read and
 * packed once for both). Each column is computed the same way whichever thread takes it, so the result is
 * bit-identical whatever the thread count.
 *
 * {@snippet :
 * Projections.multiply(lnemb, new Weights[] {gate, up}, new AbstractTensor[] {gateOut, upOut});
 * }
 */
public final class Projections {
    /**
     * Columns per task: a multiple of the micro-kernel's 4 columns. Tasks of 16 or 32 columns balanced the two threads
     * better but read each weight matrix in shorter contiguous runs, and decoded slower on this machine.
     */
    private static final int TASK_COLUMNS = 64;

    private Projections() {}

    /**
     * Fills each {@code outs[i]} ({@code rows} x {@code ws[i].rows()}, F32) with {@code a * ws[i]^T}; {@code a} is
     * {@code rows} x k, F32 or BF16, where k is every weight's column count.
     *
     * @throws IllegalArgumentException when the shapes or types do not fit
     */
    public static void multiply(AbstractTensor a, Weights[] ws, AbstractTensor[] outs) {
        if (ws.length != outs.length) throw new IllegalArgumentException(ws.length + " weights for " + outs.length + " outputs");
        int rows = a.shape().first();
        for (int i = 0; i < ws.length; i++) {
            if (outs[i].dType() != DType.F32 || outs[i].dims() != 2 || outs[i].shape().first() != rows || outs[i].shape().last() != ws[i].rows()) {
                throw new IllegalArgumentException("output " + i + " must be F32 " + rows + " x " + ws[i].rows());
            }
        }
        float[][] results = multiply(a, ws);
        for (int i = 0; i < ws.length; i++) write(results[i], rows, ws[i].rows(), outs[i]);
    }

    /**
     * {@code a * ws[i]^T} for each weight matrix, as row-major arrays ({@code rows} x {@code ws[i].rows()}); {@code a}
     * is {@code rows} x k, F32 or BF16, where k is every weight's column count.
     *
     * @throws IllegalArgumentException when the shapes do not fit
     */
    public static float[][] multiply(AbstractTensor a, Weights[] ws) {
        int rows = a.shape().first(), k = a.shape().last();
        checkColumns(k, ws);
        return multiply(floats(a, rows, k), rows, k, ws);
    }

    /**
     * {@code input * ws[i]^T} for each weight matrix, as row-major arrays ({@code rows} x {@code ws[i].rows()}), where
     * {@code input} is {@code rows} x {@code k}, row-major: for activations that are already a float array.
     *
     * @throws IllegalArgumentException when the shapes do not fit
     */
    public static float[][] multiply(float[] input, int rows, int k, Weights[] ws) {
        checkColumns(k, ws);
        if (input.length < rows * k) throw new IllegalArgumentException("input holds " + input.length + " values, need " + rows + " x " + k);
        float[][] packed = new float[ws.length][];
        float[][] results = new float[ws.length][];
        int tasks = 0, threads = KernelPool.shared().threads();
        int[] firstTask = new int[ws.length + 1], width = new int[ws.length];
        for (int i = 0; i < ws.length; i++) {
            // packing depends only on the weights' type: share it between weights of one type
            packed[i] = i > 0 && ws[i - 1].bf16() == ws[i].bf16() ? packed[i - 1] : Gemm.packActivations(input, rows, k, ws[i]);
            results[i] = new float[rows * ws[i].rows()];
            firstTask[i] = tasks;
            width[i] = taskColumns(ws[i].rows(), threads);
            tasks += (ws[i].rows() + width[i] - 1) / width[i];
        }
        firstTask[ws.length] = tasks;
        KernelPool.shared().run(tasks, t -> {
            int i = 0;
            while (t >= firstTask[i + 1]) i++;
            int c0 = (t - firstTask[i]) * width[i];
            Gemm.multiply(packed[i], rows, ws[i], results[i], c0, Math.min(ws[i].rows(), c0 + width[i]));
        });
        return results;
    }

    /**
     * Columns per task for a matrix of {@code n} output columns: at most {@link #TASK_COLUMNS}, and as many tasks as a
     * multiple of {@code threads}, so the threads end together (a 576-column projection in 9 tasks of 64 left one
     * thread idle for a ninth of it).
     */
    static int taskColumns(int n, int threads) {
        int tasks = (n + TASK_COLUMNS - 1) / TASK_COLUMNS;
        tasks = (tasks + threads - 1) / threads * threads;
        return Math.max(4, ((n + tasks - 1) / tasks + 3) / 4 * 4);
    }

    private static void checkColumns(int k, Weights[] ws) {
        if (ws.length == 0) throw new IllegalArgumentException("no weights");
        for (int i = 0; i < ws.length; i++) {
            if (ws[i].columns() != k) throw new IllegalArgumentException("input has " + k + " columns, weights " + i + " have " + ws[i].columns());
        }
    }

    /** Whether {@code t} is a dense F32 matrix whose memory holds its rows back to back (what the bulk copies read). */
    private static boolean denseF32(AbstractTensor t) {
        return t instanceof FloatBufferTensor && t.dims() == 2 && !t.shape().isSparse();
    }

    /** The values of {@code a} ({@code rows} x {@code k}), BF16 widened. */
    static float[] floats(AbstractTensor a, int rows, int k) {
        float[] f = new float[rows * k];
        if (denseF32(a)) {
            Object seg = a.getMemorySegment();
            for (int r = 0; r < rows; r++) {
                for (int j = SegmentLoads.copyFloats(seg, 4L * r * k, f, r * k, k); j < k; j++) f[r * k + j] = a.get(r, j);
            }
            return f;
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) f[r * k + j] = a.get(r, j);
        }
        return f;
    }

    /**
     * Copies {@code values} ({@code rows} x {@code n}, row-major) into {@code out}, an F32 {@code rows} x {@code n}
     * tensor.
     *
     * @throws IllegalArgumentException when the shapes do not fit
     */
    public static void write(float[] values, int rows, int n, AbstractTensor out) {
        if (values.length < rows * n || out.dims() != 2 || out.shape().first() != rows || out.shape().last() != n) {
            throw new IllegalArgumentException(rows + " x " + n + " values do not fit a " + out.shape() + " tensor");
        }
        if (denseF32(out)) {
            Object seg = out.getMemorySegment();
            int main = n - n % Gemm.L;
            for (int r = 0; r < rows; r++) {
                long base = 4L * r * n;
                for (int j = 0; j < main; j += Gemm.L) SegmentLoads.store(FloatVector.fromArray(Gemm.F, values, r * n + j), seg, base + 4L * j);
                for (int j = main; j < n; j++) out.set(values[r * n + j], r, j);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < n; c++) out.set(values[r * n + c], r, c);
        }
    }
}
