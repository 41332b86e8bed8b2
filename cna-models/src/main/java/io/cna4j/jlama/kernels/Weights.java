package io.cna4j.jlama.kernels;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.BFloat16BufferTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import com.github.tjake.jlama.tensor.TensorShape;

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
    private final AbstractTensor tensor;
    private final boolean bf16;
    private final int rows, columns;
    /** The tensor's {@code java.lang.foreign.MemorySegment} (see {@link SegmentLoads} for why it is an Object). */
    private final Object segment;
    private final long rowBytes;

    private Weights(AbstractTensor tensor) {
        this.tensor = tensor;
        this.bf16 = tensor instanceof BFloat16BufferTensor;
        this.rows = tensor.shape().first();
        this.columns = tensor.shape().last();
        this.segment = tensor.getMemorySegment();
        this.rowBytes = (long) columns * (bf16 ? Short.BYTES : Float.BYTES);
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
        return bf16;
    }

    /** The memory the kernels read: row {@code r}, column {@code c} at byte {@code r * rowBytes() + c * (2 or 4)}. */
    Object segment() {
        return segment;
    }

    /** Bytes per weight row. */
    long rowBytes() {
        return rowBytes;
    }

    float get(int row, int column) {
        return tensor.get(row, column);
    }
}
