package io.cna4j.jlama.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * cna4j's matrix product {@code out[r][c] = sum_k a[r][k] * w[c][k]} for activations {@code a} (rows x k, float)
 * and weights {@code w} (n x k: BF16 or F32 read in place from a {@link Weights}' memory, no copy; or a Q8_0 copy,
 * whose bytes are widened and multiplied by their block's scale in registers, then multiplied as F32 weights are).
 *
 * <p>Design.
 * <ul>
 *   <li>A 4-row x 4-column register tile: 16 accumulator vectors; per block of k, 4 weight loads and 8 activation
 *       loads feed 32 fused multiply-adds. For each 4 output columns the tiles pass over every group of 4
 *       activation rows while those columns' weights stay in L1, so the weights are streamed from memory once per
 *       call whatever the row count. From 4 rows on, the rows are padded with zero rows to a multiple of 4
 *       ({@code paddedRows}) so every row takes the tile; fewer rows (decode's single row) take a 1 x 4 tile, and
 *       columns left over a 1 x 1 kernel.</li>
 *   <li>A tile's 4 columns are not adjacent: of a range of 4q columns, the tile takes c, c + q, c + 2q and c + 3q, so
 *       the weights are read as four long runs of contiguous rows that the hardware prefetchers follow (four adjacent
 *       rows are four streams that each end after one row). On decode's memory-bound single row this raised a
 *       576-column-wide BF16 GEMV over 270 MB of memory-mapped weights from 20 to 27 GB/s on this machine, the speed
 *       of a plain vector sum over the same memory.</li>
 *   <li>BF16 weights are widened in registers without a lane shuffle: a 32-bit lane holds two BF16 values,
 *       {@code lane << 16} is the even one and {@code lane & 0xFFFF0000} the odd one, so the activations are packed
 *       once per call into the matching order ({@link #packActivations}).</li>
 *   <li>Weight loads read the tensor's memory segment directly through {@code SegmentLoads}' method handles, with no
 *       per-load offset arithmetic over jlama's varargs accessors. The tiles call only JDK methods that C2 must
 *       inline ({@code @ForceInline}): a helper of cna4j's own can be left out when C2 reaches its node-count
 *       cutoff in a method this large (seen when jlama's kernels had run first in the same JVM), and a vector it
 *       returns is then boxed on every iteration.</li>
 *   <li>Determinism: every cell is computed by the same sequence of operations whichever kernel or thread computes
 *       it: one accumulator vector, fused multiply-adds over k in a fixed order, the lanes summed by a fixed pairwise
 *       tree (lane i with lane i ^ L/2, then ^ L/4, ..., ^ 1), then a scalar tail for k beyond the last full block.
 *       The 4 x 4 tile sums its 16 cells' trees together ({@code pair}: 15 vector steps instead of 16 separate
 *       reductions) with exactly those pairings; the other kernels sum one cell at a time ({@code sumLanes}). So results
 *       are bit-identical whatever the split of columns between threads and whether a row is alone or in a batch
 *       ({@code GemmTest}).</li>
 * </ul>
 *
 * {@snippet :
 * Weights w = Weights.of(tensor);                          // n x k BF16 or F32
 * float[] packed = Gemm.packActivations(a, rows, k, w);    // once per call
 * float[] out = new float[rows * w.rows()];
 * Gemm.multiply(packed, rows, w, out, 0, w.rows());         // any column range; threads take disjoint ranges
 * }
 */
public final class Gemm {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Q8_0 values: as many bytes as a float vector has lanes (null below 8 lanes, where Q8_0 is not offered). */
    static final VectorSpecies<Byte> Q = FloatVector.SPECIES_PREFERRED.length() >= 8
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(FloatVector.SPECIES_PREFERRED.length() * 8)) : null;
    /** Floats per vector. */
    static final int L = F.length();
    /** k per block: two float vectors (BF16: one int vector of 2L packed values). */
    static final int B = 2 * L;
    private static final int ODD = 0xFFFF0000;
    /** Lane i exchanged with lane i ^ d (identity for d >= L: then unused). */
    private static final VectorShuffle<Float> S8 = swap(8), S4 = swap(4), S2 = swap(2), S1 = swap(1);
    /** The lanes i with i & d != 0. */
    private static final VectorMask<Float> M8 = high(8), M4 = high(4), M2 = high(2), M1 = high(1);
    private Gemm() {}

    private static VectorShuffle<Float> swap(int d) {
        return VectorShuffle.fromOp(F, i -> d < L ? i ^ d : i);
    }

    private static VectorMask<Float> high(int d) {
        boolean[] bits = new boolean[L];
        for (int i = 0; i < L; i++) bits[i] = (i & d) != 0;
        return VectorMask.fromArray(F, bits, 0);
    }

    /** How many columns of k the vector blocks cover; the rest is the scalar tail. */
    static int mainK(int k) {
        return k - k % B;
    }

    /**
     * Rows the packed activations hold: {@code rows} rounded up to a multiple of 4 (zero rows added) from 4 rows on,
     * so that every row goes through the 4 x 4 tile; fewer rows (decode) take the 1 x 4 tile as they are.
     */
    static int paddedRows(int rows) {
        return rows < 4 ? rows : (rows + 3) / 4 * 4;
    }

    /**
     * The activations ({@code rows} x {@code k}, row-major) as the kernels read them for {@code w}: for BF16 weights
     * each block of {@code 2L} values is split into its even and odd elements (F32 weights read them as given), and
     * from 4 rows on, zero rows up to a multiple of 4.
     */
    public static float[] packActivations(float[] a, int rows, int k, Weights w) {
        if (a.length < rows * k) throw new IllegalArgumentException("activations hold " + a.length + " values, need " + rows + " x " + k);
        if (k != w.columns()) throw new IllegalArgumentException("activations have " + k + " columns, the weights " + w.columns());
        int padded = paddedRows(rows);
        if (!w.bf16()) return padded == rows ? a : java.util.Arrays.copyOf(a, padded * k);
        float[] p = new float[padded * k];
        int main = mainK(k);
        for (int r = 0; r < rows; r++) {
            int base = r * k;
            for (int b = 0; b < main; b += B) {
                for (int i = 0; i < L; i++) {
                    p[base + b + i] = a[base + b + 2 * i];
                    p[base + b + L + i] = a[base + b + 2 * i + 1];
                }
            }
            System.arraycopy(a, base + main, p, base + main, k - main);
        }
        return p;
    }

    /**
     * Computes the columns {@code [colStart, colEnd)} of {@code out} ({@code rows} x {@code w.rows()}, row-major)
     * from activations packed by {@link #packActivations}.
     */
    public static void multiply(float[] packed, int rows, Weights w, float[] out, int colStart, int colEnd) {
        int n = w.rows();
        if (colStart < 0 || colEnd > n || colStart > colEnd) throw new IllegalArgumentException("columns [" + colStart + ", " + colEnd + ") outside [0, " + n + ")");
        if (out.length < rows * n) throw new IllegalArgumentException("out holds " + out.length + " values, need " + rows + " x " + n);
        int k = w.columns();
        int tileRows = rows < 4 ? 0 : paddedRows(rows);
        if (packed.length < Math.max(rows, tileRows) * k) {
            throw new IllegalArgumentException("activations hold " + packed.length + " values, need " + Math.max(rows, tileRows) + " x " + k + " (packActivations pads them)");
        }
        float[] acc = new float[16 * L];
        int c4 = colStart + (colEnd - colStart) / 4 * 4;
        Weights.Format format = w.format();
        try {   // the weight loads are method handles (SegmentLoads), declared to throw Throwable
            // a tile takes the columns c, c + q, c + 2q, c + 3q: four long runs of contiguous weight rows, which the
            // hardware prefetchers follow, where four adjacent rows end after one row's bytes each
            int q = (c4 - colStart) / 4;
            for (int c = colStart; c < colStart + q; c++) {
                // the 4 columns' weights stay in L1 while every row passes
                for (int r = 0; r < tileRows; r += 4) {
                    switch (format) {
                        case BF16 -> bf16Tile4x4(packed, k, r, rows, w, c, q, out, n, acc);
                        case F32 -> f32Tile4x4(packed, k, r, rows, w, c, q, out, n, acc);
                        case Q8_0 -> q8Tile4x4(packed, k, r, rows, w, c, q, out, n, acc);
                    }
                }
                for (int r = tileRows; r < rows; r++) {
                    switch (format) {
                        case BF16 -> bf16Tile1x4(packed, k, r, w, c, q, out, n);
                        case F32 -> f32Tile1x4(packed, k, r, w, c, q, out, n);
                        case Q8_0 -> q8Tile1x4(packed, k, r, w, c, q, out, n);
                    }
                }
            }
            for (int c = c4; c < colEnd; c++) {
                for (int r = 0; r < rows; r++) {
                    switch (format) {
                        case BF16 -> bf16Cell(packed, k, r, w, c, out, n);
                        case F32 -> f32Cell(packed, k, r, w, c, out, n);
                        case Q8_0 -> q8Cell(packed, k, r, w, c, out, n);
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Two cells' partial sums in one vector: lanes with {@code i & d == 0} become {@code a[i] + a[i ^ d]}, the others
     * {@code b[i] + b[i ^ d]} (d given by {@code high} and {@code swap}). Four levels (d = 8, 4, 2, 1) turn 16 cells'
     * accumulators into one vector of 16 sums, each summed with the pairings of {@link #sumLanes}.
     */
    private static FloatVector pair(FloatVector a, FloatVector b, VectorMask<Float> high, VectorShuffle<Float> swap) {
        return a.blend(b, high).add(b.blend(a, high).rearrange(swap));
    }

    /**
     * The sum of {@code v}'s lanes by a fixed pairwise tree (lane i with lane i ^ L/2, then ^ L/4, ..., ^ 1): the same
     * bits whether the JIT has compiled the caller or not, where {@code reduceLanes(ADD)} sums in another order when
     * interpreted than when compiled. Every kernel of this package finishes its cells this way.
     */
    public static float sumLanes(FloatVector v) {
        if (L == 16) {
            v = v.add(v.rearrange(S8));
            v = v.add(v.rearrange(S4));
            v = v.add(v.rearrange(S2));
            return v.add(v.rearrange(S1)).lane(0);
        }
        for (int d = L / 2; d >= 1; d /= 2) {
            int dd = d;
            v = v.add(v.rearrange(VectorShuffle.fromOp(F, i -> i ^ dd)));
        }
        return v.lane(0);
    }

    /** {@code sum} plus the products beyond the last full block of k (the one way every kernel finishes a cell). */
    private static float tail(float sum, float[] a, int aRow, Weights w, int c, int k) {
        for (int kk = mainK(k); kk < k; kk++) sum += a[aRow + kk] * w.get(c, kk);
        return sum;
    }

    private static void bf16Tile4x4(float[] a, int k, int r, int rows, Weights w, int c, int q, float[] out, int n, float[] acc) throws Throwable {
        int main = mainK(k);
        Object seg = w.segment();
        long rb = w.rowBytes(), step = q * rb, w0 = c * rb, w1 = w0 + step, w2 = w1 + step, w3 = w2 + step;
        int a0 = r * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        FloatVector z = FloatVector.zero(F);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z, s20 = z, s21 = z, s22 = z, s23 = z, s30 = z, s31 = z, s32 = z, s33 = z;
        for (int b = 0; b < main; b += B) {
            long o = 2L * b;
            IntVector v0 = (IntVector) SegmentLoads.INTS.invokeExact(I, seg, w0 + o, SegmentLoads.LE);
            IntVector v1 = (IntVector) SegmentLoads.INTS.invokeExact(I, seg, w1 + o, SegmentLoads.LE);
            IntVector v2 = (IntVector) SegmentLoads.INTS.invokeExact(I, seg, w2 + o, SegmentLoads.LE);
            IntVector v3 = (IntVector) SegmentLoads.INTS.invokeExact(I, seg, w3 + o, SegmentLoads.LE);
            FloatVector e0 = v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector e1 = v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector e2 = v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector e3 = v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector x = FloatVector.fromArray(F, a, a0 + b);
            s00 = x.fma(e0, s00); s01 = x.fma(e1, s01); s02 = x.fma(e2, s02); s03 = x.fma(e3, s03);
            x = FloatVector.fromArray(F, a, a1 + b);
            s10 = x.fma(e0, s10); s11 = x.fma(e1, s11); s12 = x.fma(e2, s12); s13 = x.fma(e3, s13);
            x = FloatVector.fromArray(F, a, a2 + b);
            s20 = x.fma(e0, s20); s21 = x.fma(e1, s21); s22 = x.fma(e2, s22); s23 = x.fma(e3, s23);
            x = FloatVector.fromArray(F, a, a3 + b);
            s30 = x.fma(e0, s30); s31 = x.fma(e1, s31); s32 = x.fma(e2, s32); s33 = x.fma(e3, s33);
            e0 = v0.and(ODD).reinterpretAsFloats();
            e1 = v1.and(ODD).reinterpretAsFloats();
            e2 = v2.and(ODD).reinterpretAsFloats();
            e3 = v3.and(ODD).reinterpretAsFloats();
            x = FloatVector.fromArray(F, a, a0 + b + L);
            s00 = x.fma(e0, s00); s01 = x.fma(e1, s01); s02 = x.fma(e2, s02); s03 = x.fma(e3, s03);
            x = FloatVector.fromArray(F, a, a1 + b + L);
            s10 = x.fma(e0, s10); s11 = x.fma(e1, s11); s12 = x.fma(e2, s12); s13 = x.fma(e3, s13);
            x = FloatVector.fromArray(F, a, a2 + b + L);
            s20 = x.fma(e0, s20); s21 = x.fma(e1, s21); s22 = x.fma(e2, s22); s23 = x.fma(e3, s23);
            x = FloatVector.fromArray(F, a, a3 + b + L);
            s30 = x.fma(e0, s30); s31 = x.fma(e1, s31); s32 = x.fma(e2, s32); s33 = x.fma(e3, s33);
        }
        s00.intoArray(acc, 0 * L); s01.intoArray(acc, 1 * L); s02.intoArray(acc, 2 * L); s03.intoArray(acc, 3 * L);
        s10.intoArray(acc, 4 * L); s11.intoArray(acc, 5 * L); s12.intoArray(acc, 6 * L); s13.intoArray(acc, 7 * L);
        s20.intoArray(acc, 8 * L); s21.intoArray(acc, 9 * L); s22.intoArray(acc, 10 * L); s23.intoArray(acc, 11 * L);
        s30.intoArray(acc, 12 * L); s31.intoArray(acc, 13 * L); s32.intoArray(acc, 14 * L); s33.intoArray(acc, 15 * L);
        finish4x4(acc, a, k, r, rows, w, c, q, out, n);
    }

    private static void f32Tile4x4(float[] a, int k, int r, int rows, Weights w, int c, int q, float[] out, int n, float[] acc) throws Throwable {
        int main = mainK(k);
        Object seg = w.segment();
        long rb = w.rowBytes(), step = q * rb, w0 = c * rb, w1 = w0 + step, w2 = w1 + step, w3 = w2 + step;
        int a0 = r * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        FloatVector z = FloatVector.zero(F);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z, s20 = z, s21 = z, s22 = z, s23 = z, s30 = z, s31 = z, s32 = z, s33 = z;
        for (int b = 0; b < main; b += B) {
            long o = 4L * b;
            FloatVector e0 = ((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w0 + o, SegmentLoads.LE));
            FloatVector e1 = ((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w1 + o, SegmentLoads.LE));
            FloatVector e2 = ((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w2 + o, SegmentLoads.LE));
            FloatVector e3 = ((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w3 + o, SegmentLoads.LE));
            FloatVector x = FloatVector.fromArray(F, a, a0 + b);
            s00 = x.fma(e0, s00); s01 = x.fma(e1, s01); s02 = x.fma(e2, s02); s03 = x.fma(e3, s03);
            x = FloatVector.fromArray(F, a, a1 + b);
            s10 = x.fma(e0, s10); s11 = x.fma(e1, s11); s12 = x.fma(e2, s12); s13 = x.fma(e3, s13);
            x = FloatVector.fromArray(F, a, a2 + b);
            s20 = x.fma(e0, s20); s21 = x.fma(e1, s21); s22 = x.fma(e2, s22); s23 = x.fma(e3, s23);
            x = FloatVector.fromArray(F, a, a3 + b);
            s30 = x.fma(e0, s30); s31 = x.fma(e1, s31); s32 = x.fma(e2, s32); s33 = x.fma(e3, s33);
            e0 = ((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w0 + o + 4L * L, SegmentLoads.LE));
            e1 = ((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w1 + o + 4L * L, SegmentLoads.LE));
            e2 = ((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w2 + o + 4L * L, SegmentLoads.LE));
            e3 = ((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w3 + o + 4L * L, SegmentLoads.LE));
            x = FloatVector.fromArray(F, a, a0 + b + L);
            s00 = x.fma(e0, s00); s01 = x.fma(e1, s01); s02 = x.fma(e2, s02); s03 = x.fma(e3, s03);
            x = FloatVector.fromArray(F, a, a1 + b + L);
            s10 = x.fma(e0, s10); s11 = x.fma(e1, s11); s12 = x.fma(e2, s12); s13 = x.fma(e3, s13);
            x = FloatVector.fromArray(F, a, a2 + b + L);
            s20 = x.fma(e0, s20); s21 = x.fma(e1, s21); s22 = x.fma(e2, s22); s23 = x.fma(e3, s23);
            x = FloatVector.fromArray(F, a, a3 + b + L);
            s30 = x.fma(e0, s30); s31 = x.fma(e1, s31); s32 = x.fma(e2, s32); s33 = x.fma(e3, s33);
        }
        s00.intoArray(acc, 0 * L); s01.intoArray(acc, 1 * L); s02.intoArray(acc, 2 * L); s03.intoArray(acc, 3 * L);
        s10.intoArray(acc, 4 * L); s11.intoArray(acc, 5 * L); s12.intoArray(acc, 6 * L); s13.intoArray(acc, 7 * L);
        s20.intoArray(acc, 8 * L); s21.intoArray(acc, 9 * L); s22.intoArray(acc, 10 * L); s23.intoArray(acc, 11 * L);
        s30.intoArray(acc, 12 * L); s31.intoArray(acc, 13 * L); s32.intoArray(acc, 14 * L); s33.intoArray(acc, 15 * L);
        finish4x4(acc, a, k, r, rows, w, c, q, out, n);
    }


    /**
     * Finishes the cells of a 4 x 4 tile in rows {@code [r, min(r + 4, rows))} from its 16 accumulators ({@code acc},
     * cell (i, j) at {@code (4i + j) * L}). With 16 lanes one tree of {@link #pair} steps sums all 16 cells at once:
     * fed in bit-reversed cell order, it leaves cell (i, j) in lane {@code 4i + j}. Otherwise {@link #sumLanes} sums each cell. (A method of its own: inside the tile, C2 would stop
     * inlining for the size of the whole and box the vectors.)
     */
    private static void finish4x4(float[] acc, float[] a, int k, int r, int rows, Weights w, int c, int q, float[] out, int n) {
        int last = Math.min(4, rows - r);
        if (L == 16) {
            FloatVector y0 = pair(FloatVector.fromArray(F, acc, 0 * L), FloatVector.fromArray(F, acc, 8 * L), M8, S8);
            FloatVector y1 = pair(FloatVector.fromArray(F, acc, 4 * L), FloatVector.fromArray(F, acc, 12 * L), M8, S8);
            FloatVector y2 = pair(FloatVector.fromArray(F, acc, 2 * L), FloatVector.fromArray(F, acc, 10 * L), M8, S8);
            FloatVector y3 = pair(FloatVector.fromArray(F, acc, 6 * L), FloatVector.fromArray(F, acc, 14 * L), M8, S8);
            FloatVector y4 = pair(FloatVector.fromArray(F, acc, 1 * L), FloatVector.fromArray(F, acc, 9 * L), M8, S8);
            FloatVector y5 = pair(FloatVector.fromArray(F, acc, 5 * L), FloatVector.fromArray(F, acc, 13 * L), M8, S8);
            FloatVector y6 = pair(FloatVector.fromArray(F, acc, 3 * L), FloatVector.fromArray(F, acc, 11 * L), M8, S8);
            FloatVector y7 = pair(FloatVector.fromArray(F, acc, 7 * L), FloatVector.fromArray(F, acc, 15 * L), M8, S8);
            FloatVector z0 = pair(y0, y1, M4, S4), z1 = pair(y2, y3, M4, S4);
            FloatVector z2 = pair(y4, y5, M4, S4), z3 = pair(y6, y7, M4, S4);
            pair(pair(z0, z1, M2, S2), pair(z2, z3, M2, S2), M1, S1).intoArray(acc, 0);
            for (int cell = 0; cell < 4 * last; cell++) out[(r + (cell >> 2)) * n + c + (cell & 3) * q] = acc[cell];
        } else {
            for (int cell = 0; cell < 4 * last; cell++) {
                out[(r + (cell >> 2)) * n + c + (cell & 3) * q] = sumLanes(FloatVector.fromArray(F, acc, cell * L));
            }
        }
        if (mainK(k) < k) {
            for (int cell = 0; cell < 4 * last; cell++) {
                int o = (r + (cell >> 2)) * n + c + (cell & 3) * q;
                out[o] = tail(out[o], a, (r + (cell >> 2)) * k, w, c + (cell & 3) * q, k);
            }
        }
    }

    private static void bf16Tile1x4(float[] a, int k, int r, Weights w, int c, int q, float[] out, int n) throws Throwable {
        int main = mainK(k), ar = r * k;
        Object seg = w.segment();
        long rb = w.rowBytes(), step = q * rb, w0 = c * rb, w1 = w0 + step, w2 = w1 + step, w3 = w2 + step;
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int b = 0; b < main; b += B) {
            long o = 2L * b;
            FloatVector ae = FloatVector.fromArray(F, a, ar + b), ao = FloatVector.fromArray(F, a, ar + b + L);
            IntVector v0 = (IntVector) SegmentLoads.INTS.invokeExact(I, seg, w0 + o, SegmentLoads.LE);
            IntVector v1 = (IntVector) SegmentLoads.INTS.invokeExact(I, seg, w1 + o, SegmentLoads.LE);
            IntVector v2 = (IntVector) SegmentLoads.INTS.invokeExact(I, seg, w2 + o, SegmentLoads.LE);
            IntVector v3 = (IntVector) SegmentLoads.INTS.invokeExact(I, seg, w3 + o, SegmentLoads.LE);
            c0 = ae.fma(v0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), c0); c1 = ae.fma(v1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), c1); c2 = ae.fma(v2.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), c2); c3 = ae.fma(v3.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), c3);
            c0 = ao.fma(v0.and(ODD).reinterpretAsFloats(), c0); c1 = ao.fma(v1.and(ODD).reinterpretAsFloats(), c1); c2 = ao.fma(v2.and(ODD).reinterpretAsFloats(), c2); c3 = ao.fma(v3.and(ODD).reinterpretAsFloats(), c3);
        }
        int o = r * n + c;
        out[o] = tail(sumLanes(c0), a, ar, w, c, k);
        out[o + q] = tail(sumLanes(c1), a, ar, w, c + q, k);
        out[o + 2 * q] = tail(sumLanes(c2), a, ar, w, c + 2 * q, k);
        out[o + 3 * q] = tail(sumLanes(c3), a, ar, w, c + 3 * q, k);
    }

    private static void f32Tile1x4(float[] a, int k, int r, Weights w, int c, int q, float[] out, int n) throws Throwable {
        int main = mainK(k), ar = r * k;
        Object seg = w.segment();
        long rb = w.rowBytes(), step = q * rb, w0 = c * rb, w1 = w0 + step, w2 = w1 + step, w3 = w2 + step, half = 4L * L;
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int b = 0; b < main; b += B) {
            long o = 4L * b;
            FloatVector ae = FloatVector.fromArray(F, a, ar + b), ao = FloatVector.fromArray(F, a, ar + b + L);
            c0 = ae.fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w0 + o, SegmentLoads.LE)), c0); c0 = ao.fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w0 + o + half, SegmentLoads.LE)), c0);
            c1 = ae.fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w1 + o, SegmentLoads.LE)), c1); c1 = ao.fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w1 + o + half, SegmentLoads.LE)), c1);
            c2 = ae.fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w2 + o, SegmentLoads.LE)), c2); c2 = ao.fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w2 + o + half, SegmentLoads.LE)), c2);
            c3 = ae.fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w3 + o, SegmentLoads.LE)), c3); c3 = ao.fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w3 + o + half, SegmentLoads.LE)), c3);
        }
        int o = r * n + c;
        out[o] = tail(sumLanes(c0), a, ar, w, c, k);
        out[o + q] = tail(sumLanes(c1), a, ar, w, c + q, k);
        out[o + 2 * q] = tail(sumLanes(c2), a, ar, w, c + 2 * q, k);
        out[o + 3 * q] = tail(sumLanes(c3), a, ar, w, c + 3 * q, k);
    }

    private static void q8Tile4x4(float[] a, int k, int r, int rows, Weights w, int c, int q, float[] out, int n, float[] acc) {
        int main = mainK(k), blocks = k / Weights.Q8_BLOCK;
        byte[] v = w.q8Values();
        float[] sc = w.q8Scales();
        int w0 = c * k, w1 = w0 + q * k, w2 = w1 + q * k, w3 = w2 + q * k;
        int s0 = c * blocks, s1 = s0 + q * blocks, s2 = s1 + q * blocks, s3 = s2 + q * blocks;
        int a0 = r * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        FloatVector z = FloatVector.zero(F);
        FloatVector s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z, s20 = z, s21 = z, s22 = z, s23 = z, s30 = z, s31 = z, s32 = z, s33 = z;
        for (int b = 0; b < main; b += B) {
            int block = b / Weights.Q8_BLOCK;
            FloatVector m0 = FloatVector.broadcast(F, sc[s0 + block]), m1 = FloatVector.broadcast(F, sc[s1 + block]);
            FloatVector m2 = FloatVector.broadcast(F, sc[s2 + block]), m3 = FloatVector.broadcast(F, sc[s3 + block]);
            FloatVector e0 = ((FloatVector) ByteVector.fromArray(Q, v, w0 + b).convertShape(VectorOperators.B2F, F, 0)).mul(m0);
            FloatVector e1 = ((FloatVector) ByteVector.fromArray(Q, v, w1 + b).convertShape(VectorOperators.B2F, F, 0)).mul(m1);
            FloatVector e2 = ((FloatVector) ByteVector.fromArray(Q, v, w2 + b).convertShape(VectorOperators.B2F, F, 0)).mul(m2);
            FloatVector e3 = ((FloatVector) ByteVector.fromArray(Q, v, w3 + b).convertShape(VectorOperators.B2F, F, 0)).mul(m3);
            FloatVector x = FloatVector.fromArray(F, a, a0 + b);
            s00 = x.fma(e0, s00); s01 = x.fma(e1, s01); s02 = x.fma(e2, s02); s03 = x.fma(e3, s03);
            x = FloatVector.fromArray(F, a, a1 + b);
            s10 = x.fma(e0, s10); s11 = x.fma(e1, s11); s12 = x.fma(e2, s12); s13 = x.fma(e3, s13);
            x = FloatVector.fromArray(F, a, a2 + b);
            s20 = x.fma(e0, s20); s21 = x.fma(e1, s21); s22 = x.fma(e2, s22); s23 = x.fma(e3, s23);
            x = FloatVector.fromArray(F, a, a3 + b);
            s30 = x.fma(e0, s30); s31 = x.fma(e1, s31); s32 = x.fma(e2, s32); s33 = x.fma(e3, s33);
            e0 = ((FloatVector) ByteVector.fromArray(Q, v, w0 + b + L).convertShape(VectorOperators.B2F, F, 0)).mul(m0);
            e1 = ((FloatVector) ByteVector.fromArray(Q, v, w1 + b + L).convertShape(VectorOperators.B2F, F, 0)).mul(m1);
            e2 = ((FloatVector) ByteVector.fromArray(Q, v, w2 + b + L).convertShape(VectorOperators.B2F, F, 0)).mul(m2);
            e3 = ((FloatVector) ByteVector.fromArray(Q, v, w3 + b + L).convertShape(VectorOperators.B2F, F, 0)).mul(m3);
            x = FloatVector.fromArray(F, a, a0 + b + L);
            s00 = x.fma(e0, s00); s01 = x.fma(e1, s01); s02 = x.fma(e2, s02); s03 = x.fma(e3, s03);
            x = FloatVector.fromArray(F, a, a1 + b + L);
            s10 = x.fma(e0, s10); s11 = x.fma(e1, s11); s12 = x.fma(e2, s12); s13 = x.fma(e3, s13);
            x = FloatVector.fromArray(F, a, a2 + b + L);
            s20 = x.fma(e0, s20); s21 = x.fma(e1, s21); s22 = x.fma(e2, s22); s23 = x.fma(e3, s23);
            x = FloatVector.fromArray(F, a, a3 + b + L);
            s30 = x.fma(e0, s30); s31 = x.fma(e1, s31); s32 = x.fma(e2, s32); s33 = x.fma(e3, s33);
        }
        s00.intoArray(acc, 0 * L); s01.intoArray(acc, 1 * L); s02.intoArray(acc, 2 * L); s03.intoArray(acc, 3 * L);
        s10.intoArray(acc, 4 * L); s11.intoArray(acc, 5 * L); s12.intoArray(acc, 6 * L); s13.intoArray(acc, 7 * L);
        s20.intoArray(acc, 8 * L); s21.intoArray(acc, 9 * L); s22.intoArray(acc, 10 * L); s23.intoArray(acc, 11 * L);
        s30.intoArray(acc, 12 * L); s31.intoArray(acc, 13 * L); s32.intoArray(acc, 14 * L); s33.intoArray(acc, 15 * L);
        finish4x4(acc, a, k, r, rows, w, c, q, out, n);
    }

    private static void q8Tile1x4(float[] a, int k, int r, Weights w, int c, int q, float[] out, int n) {
        int main = mainK(k), ar = r * k, blocks = k / Weights.Q8_BLOCK;
        byte[] v = w.q8Values();
        float[] sc = w.q8Scales();
        int w0 = c * k, w1 = w0 + q * k, w2 = w1 + q * k, w3 = w2 + q * k;
        int s0 = c * blocks, s1 = s0 + q * blocks, s2 = s1 + q * blocks, s3 = s2 + q * blocks;
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int b = 0; b < main; b += B) {
            int block = b / Weights.Q8_BLOCK;
            FloatVector m0 = FloatVector.broadcast(F, sc[s0 + block]), m1 = FloatVector.broadcast(F, sc[s1 + block]);
            FloatVector m2 = FloatVector.broadcast(F, sc[s2 + block]), m3 = FloatVector.broadcast(F, sc[s3 + block]);
            FloatVector ae = FloatVector.fromArray(F, a, ar + b), ao = FloatVector.fromArray(F, a, ar + b + L);
            c0 = ae.fma(((FloatVector) ByteVector.fromArray(Q, v, w0 + b).convertShape(VectorOperators.B2F, F, 0)).mul(m0), c0);
            c1 = ae.fma(((FloatVector) ByteVector.fromArray(Q, v, w1 + b).convertShape(VectorOperators.B2F, F, 0)).mul(m1), c1);
            c2 = ae.fma(((FloatVector) ByteVector.fromArray(Q, v, w2 + b).convertShape(VectorOperators.B2F, F, 0)).mul(m2), c2);
            c3 = ae.fma(((FloatVector) ByteVector.fromArray(Q, v, w3 + b).convertShape(VectorOperators.B2F, F, 0)).mul(m3), c3);
            c0 = ao.fma(((FloatVector) ByteVector.fromArray(Q, v, w0 + b + L).convertShape(VectorOperators.B2F, F, 0)).mul(m0), c0);
            c1 = ao.fma(((FloatVector) ByteVector.fromArray(Q, v, w1 + b + L).convertShape(VectorOperators.B2F, F, 0)).mul(m1), c1);
            c2 = ao.fma(((FloatVector) ByteVector.fromArray(Q, v, w2 + b + L).convertShape(VectorOperators.B2F, F, 0)).mul(m2), c2);
            c3 = ao.fma(((FloatVector) ByteVector.fromArray(Q, v, w3 + b + L).convertShape(VectorOperators.B2F, F, 0)).mul(m3), c3);
        }
        int o = r * n + c;
        out[o] = tail(sumLanes(c0), a, ar, w, c, k);
        out[o + q] = tail(sumLanes(c1), a, ar, w, c + q, k);
        out[o + 2 * q] = tail(sumLanes(c2), a, ar, w, c + 2 * q, k);
        out[o + 3 * q] = tail(sumLanes(c3), a, ar, w, c + 3 * q, k);
    }

    private static void q8Cell(float[] a, int k, int r, Weights w, int c, float[] out, int n) {
        int main = mainK(k), ar = r * k, blocks = k / Weights.Q8_BLOCK;
        byte[] v = w.q8Values();
        float[] sc = w.q8Scales();
        int w0 = c * k, s0 = c * blocks;
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < main; b += B) {
            FloatVector m = FloatVector.broadcast(F, sc[s0 + b / Weights.Q8_BLOCK]);
            acc = FloatVector.fromArray(F, a, ar + b).fma(((FloatVector) ByteVector.fromArray(Q, v, w0 + b).convertShape(VectorOperators.B2F, F, 0)).mul(m), acc);
            acc = FloatVector.fromArray(F, a, ar + b + L).fma(((FloatVector) ByteVector.fromArray(Q, v, w0 + b + L).convertShape(VectorOperators.B2F, F, 0)).mul(m), acc);
        }
        out[r * n + c] = tail(sumLanes(acc), a, ar, w, c, k);
    }

    private static void bf16Cell(float[] a, int k, int r, Weights w, int c, float[] out, int n) throws Throwable {
        int main = mainK(k), ar = r * k;
        Object seg = w.segment();
        long w0 = c * w.rowBytes();
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < main; b += B) {
            IntVector v = (IntVector) SegmentLoads.INTS.invokeExact(I, seg, w0 + 2L * b, SegmentLoads.LE);
            acc = FloatVector.fromArray(F, a, ar + b).fma(v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), acc);
            acc = FloatVector.fromArray(F, a, ar + b + L).fma(v.and(ODD).reinterpretAsFloats(), acc);
        }
        out[r * n + c] = tail(sumLanes(acc), a, ar, w, c, k);
    }

    private static void f32Cell(float[] a, int k, int r, Weights w, int c, float[] out, int n) throws Throwable {
        int main = mainK(k), ar = r * k;
        Object seg = w.segment();
        long w0 = c * w.rowBytes();
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < main; b += B) {
            acc = FloatVector.fromArray(F, a, ar + b).fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w0 + 4L * b, SegmentLoads.LE)), acc);
            acc = FloatVector.fromArray(F, a, ar + b + L).fma(((FloatVector) SegmentLoads.FLOATS.invokeExact(F, seg, w0 + 4L * b + 4L * L, SegmentLoads.LE)), acc);
        }
        out[r * n + c] = tail(sumLanes(acc), a, ar, w, c, k);
    }
}
