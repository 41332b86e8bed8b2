package io.cna4j.jlama.kernels;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.BFloat16BufferTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import com.github.tjake.jlama.tensor.TensorShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;
import org.jspecify.annotations.Nullable;

/**
 * A weight matrix ({@code n} output rows x {@code k} input columns, row-major, BF16 or F32) as {@link Gemm} reads
 * it: in place, in the memory of jlama's tensor (often the memory-mapped safetensors file). Row-major n x k is
 * already the layout the kernels stream (each output column's weights contiguous over k), so wrapping costs no
 * copy and no extra resident memory.
 *
 * {@snippet :
 * Weights gate = Weights.of(gateTensor);   // throws IllegalArgumentException for Q4, I8, F16 or a sharded tensor
 * }
 */
public final class Weights {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
    private final AbstractTensor tensor;
    private final @Nullable BFloat16BufferTensor bf16;
    private final @Nullable FloatBufferTensor f32;
    private final int rows, columns;

    private Weights(AbstractTensor tensor) {
        this.tensor = tensor;
        this.bf16 = tensor instanceof BFloat16BufferTensor b ? b : null;
        this.f32 = tensor instanceof FloatBufferTensor f ? f : null;
        this.rows = tensor.shape().first();
        this.columns = tensor.shape().last();
    }

    /**
     * Whether {@link Gemm} can multiply by {@code t}: a two-dimensional BF16 or F32 tensor holding all its rows and
     * columns (jlama marks a tensor loaded for a distributed context "sparse" even when its range is the whole).
     */
    public static boolean supports(AbstractTensor t) {
        TensorShape s = t.shape();
        return (t instanceof BFloat16BufferTensor || t instanceof FloatBufferTensor) && t.dims() == 2
                && s.sparseRowOffset() == 0 && s.sparseRowLength() == s.first()
                && s.sparseColumnOffset() == 0 && s.sparseColumnLength() == s.last();
    }

    /**
     * Wraps {@code t}.
     *
     * @throws IllegalArgumentException when {@link #supports} is false for it
     */
    public static Weights of(AbstractTensor t) {
        if (!supports(t)) {
            throw new IllegalArgumentException("cna4j's kernels multiply dense 2-D BF16 or F32 weights, not a "
                    + t.dims() + "-D " + t.dType() + (t.shape().isSparse() ? " partial (sharded)" : "") + " tensor");
        }
        return new Weights(t);
    }

    /** Output rows {@code n} (the product's columns). */
    public int rows() {
        return rows;
    }

    /** Input columns {@code k}. */
    public int columns() {
        return columns;
    }

    /** The jlama tensor read. */
    public AbstractTensor tensor() {
        return tensor;
    }

    boolean bf16() {
        return bf16 != null;
    }

    /** BF16: the {@code 2L} values from {@code (row, column)} on, two per int lane (even value in the low half). */
    IntVector pairs(int row, int column) {
        return bf16.getVector(S, row, column).reinterpretAsInts();
    }

    /** F32: the {@code L} values from {@code (row, column)} on. */
    FloatVector floats(int row, int column) {
        return f32.getVector(Gemm.F, row, column);
    }

    float get(int row, int column) {
        return tensor.get(row, column);
    }
}
