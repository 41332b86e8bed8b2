package io.cna4j.jlama.kernels;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.BFloat16BufferTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import com.github.tjake.jlama.tensor.TensorShape;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A weight matrix ({@code n} output rows x {@code k} input columns, row-major) as {@link Gemm} reads it, in one of
 * two forms:
 * <ul>
 *   <li>{@link #of}: BF16 or F32, read in place in the memory of jlama's tensor (often the memory-mapped safetensors
 *       file). Row-major n x k is already the layout the kernels stream (each output column's weights contiguous over
 *       k), so wrapping costs no copy and no extra resident memory.</li>
 *   <li>{@link #q8}: a Q8_0 copy made at load, as llama.cpp's Q8_0 stores weights: each block of 32 consecutive
 *       values of a row becomes 32 signed bytes and one float scale ({@code max |value| / 127}), a value being
 *       {@code byte * scale}. 1.125 bytes per weight instead of 2: decoding, which streams every weight once per
 *       token, reads 44 % fewer bytes. The kernels widen each byte to float and multiply by its block's scale in
 *       registers, then run the same fused multiply-adds as for F32.</li>
 * </ul>
 *
 * {@snippet :
 * Weights gate = Weights.of(gateTensor);   // throws IllegalArgumentException for Q4, I8, F16 or a sharded tensor
 * Weights small = Weights.q8(gateTensor);  // a quantized copy; k must be a multiple of 32
 * }
 */
public final class Weights {
    /** Values per Q8_0 block, each with one scale. */
    public static final int Q8_BLOCK = 32;

    /** How the values are stored. */
    enum Format { F32, BF16, Q8_0 }

    private final AbstractTensor tensor;
    private final Format format;
    private final int rows, columns;
    /** The tensor's {@code java.lang.foreign.MemorySegment} (see {@link SegmentLoads} for why it is an Object); null for Q8_0. */
    private final Object segment;
    private final long rowBytes;
    /** Q8_0 only: the values (row-major) and one scale per block of {@link #Q8_BLOCK} of a row. */
    private final byte[] q8Values;
    private final float[] q8Scales;

    private Weights(AbstractTensor tensor) {
        this.tensor = tensor;
        this.format = tensor instanceof BFloat16BufferTensor ? Format.BF16 : Format.F32;
        this.rows = tensor.shape().first();
        this.columns = tensor.shape().last();
        this.segment = tensor.getMemorySegment();
        this.rowBytes = (long) columns * (format == Format.BF16 ? Short.BYTES : Float.BYTES);
        this.q8Values = null;
        this.q8Scales = null;
    }

    private Weights(AbstractTensor tensor, byte[] values, float[] scales) {
        this.tensor = tensor;
        this.format = Format.Q8_0;
        this.rows = tensor.shape().first();
        this.columns = tensor.shape().last();
        this.segment = null;
        this.rowBytes = columns;
        this.q8Values = values;
        this.q8Scales = scales;
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

    /**
     * Whether {@link #q8} can quantize {@code t}: {@link #supports} holds, k is a multiple of {@value #Q8_BLOCK}, the
     * n x k bytes fit one Java array, and this JVM's preferred vectors hold at least 8 floats (AVX2 or wider).
     */
    public static boolean quantizable(AbstractTensor t) {
        return Gemm.Q != null && supports(t) && t.shape().last() % Q8_BLOCK == 0 && (long) t.shape().first() * t.shape().last() <= Integer.MAX_VALUE - 8;
    }

    /**
     * A Q8_0 copy of {@code t}, quantized on {@link KernelPool}'s threads: per block of {@value #Q8_BLOCK} values of a
     * row, {@code scale = max |value| / 127} and {@code byte = round(value / scale)} (0 for an all-zero block). The
     * copy lives on the Java heap: about 1.125 bytes per weight.
     *
     * @throws IllegalArgumentException when {@link #quantizable} is false for {@code t}, or a block holds a NaN or an
     *                                  infinite value (named by row and column)
     */
    public static Weights q8(AbstractTensor t) {
        if (!quantizable(t)) {
            throw new IllegalArgumentException("cna4j's Q8_0 quantizes dense 2-D BF16 or F32 weights whose row length is a multiple of "
                    + Q8_BLOCK + " and whose size fits a Java array, not a " + t.dims() + "-D " + t.dType() + " " + t.shape());
        }
        int n = t.shape().first(), k = t.shape().last(), blocks = k / Q8_BLOCK;
        byte[] values = new byte[n * k];
        float[] scales = new float[n * blocks];
        Weights source = of(t);
        int rowsPerTask = 64;
        KernelPool.shared().run((n + rowsPerTask - 1) / rowsPerTask, task -> {
            float[] row = new float[k];
            for (int r = task * rowsPerTask; r < Math.min(n, (task + 1) * rowsPerTask); r++) {
                source.readRow(r, row);
                for (int b = 0; b < blocks; b++) {
                    int from = b * Q8_BLOCK;
                    float max = 0;
                    for (int j = from; j < from + Q8_BLOCK; j++) max = Math.max(max, Math.abs(row[j]));
                    if (!Float.isFinite(max)) {
                        throw new IllegalArgumentException("weight row " + r + ", columns " + from + "-" + (from + Q8_BLOCK - 1)
                                + " hold a NaN or an infinite value: cannot quantize it to Q8_0");
                    }
                    float scale = max / 127f;
                    scales[r * blocks + b] = scale;
                    for (int j = from; j < from + Q8_BLOCK; j++) {
                        values[r * k + j] = scale == 0f ? 0 : (byte) Math.round(row[j] / scale);
                    }
                }
            }
        });
        return new Weights(t, values, scales);
    }

    /** This matrix as Q8_0 ({@link #q8}), or itself when {@link #quantizable} is false for its tensor or it already is. */
    public Weights quantizedQ8() {
        return format != Format.Q8_0 && quantizable(tensor) ? q8(tensor) : this;
    }

    /** Whether the values are a Q8_0 copy. */
    public boolean isQ8() {
        return format == Format.Q8_0;
    }

    /** Row {@code r}'s values as floats into {@code row} (k of them; BF16 widened, Q8_0 dequantized). */
    void readRow(int r, float[] row) {
        if (format == Format.F32) {   // the layout the kernels read: rows back to back
            for (int j = SegmentLoads.copyFloats(segment, r * rowBytes, row, 0, columns); j < columns; j++) row[j] = get(r, j);
            return;
        }
        if (format == Format.BF16) {   // a 32-bit lane holds two values: the even one in its low half
            int main = Gemm.mainK(columns);
            long base = r * rowBytes;
            float[] halves = new float[2 * Gemm.L];
            for (int j = 0; j < main; j += Gemm.B) {
                IntVector v = SegmentLoads.ints(Gemm.I, segment, base + 2L * j);
                v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(halves, 0);
                v.and(0xFFFF0000).reinterpretAsFloats().intoArray(halves, Gemm.L);
                for (int i = 0; i < Gemm.L; i++) {
                    row[j + 2 * i] = halves[i];
                    row[j + 2 * i + 1] = halves[Gemm.L + i];
                }
            }
            for (int j = main; j < columns; j++) row[j] = get(r, j);
            return;
        }
        for (int j = 0; j < columns; j++) row[j] = get(r, j);
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
        return format == Format.BF16;
    }

    Format format() {
        return format;
    }

    /** Q8_0: the values, row-major, one byte each. */
    byte[] q8Values() {
        return q8Values;
    }

    /** Q8_0: row r's block b scale at {@code r * (k / 32) + b}. */
    float[] q8Scales() {
        return q8Scales;
    }

    /** The memory the kernels read: row {@code r}, column {@code c} at byte {@code r * rowBytes() + c * (2 or 4)}. */
    Object segment() {
        return segment;
    }

    /** Bytes per weight row (Q8_0: values only). */
    long rowBytes() {
        return rowBytes;
    }

    /** One value as the kernels multiply by it (Q8_0: {@code byte * scale}). */
    float get(int row, int column) {
        if (format == Format.Q8_0) return q8Values[row * columns + column] * q8Scales[row * (columns / Q8_BLOCK) + column / Q8_BLOCK];
        return tensor.get(row, column);
    }
}
