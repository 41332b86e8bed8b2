package io.cna4j.jlama.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * cna4j's matrix product {@code out[r][c] = sum_k a[r][k] * w[c][k]} for activations {@code a} (rows x k, float)
 * and weights {@code w} (n x k, BF16 or F32, read in place from a {@link Weights}' memory: no copy).
 *
 * <p>Design: a 1-row x 4-column micro-kernel (4 accumulators, the row's activations loaded once for 4 weight rows)
 * that, for each block of 4 output columns, passes over every activation row while those columns' weights stay
 * in L1 (prefill), and streams each weight byte once for a single row (decode); a 1 x 1 kernel for the last
 * columns. (A 4 x 4 register tile was written and measured first: C2 refused to inline its weight loads, "callee
 * uses too much stack", and the boxed vectors ran at 1.8 GFLOP/s, so it was dropped.) BF16 weights are widened in
 * registers without a lane shuffle: a 32-bit lane holds two BF16 values, {@code lane << 16} is the even one and
 * {@code lane & 0xFFFF0000} the odd one, so the activations are packed once per call into the matching order
 * ({@link #packActivations}). Every output cell is computed by the same sequence of operations (one accumulator
 * vector, fused multiply-adds over k in a fixed order, lanes summed in index order, then a scalar tail) whichever
 * kernel or thread computes it: results are bit-identical whatever the split of columns between threads.
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
    /** Floats per vector. */
    static final int L = F.length();
    /** k per block: two float vectors (BF16: one int vector of 2L packed values). */
    static final int B = 2 * L;
    private static final int ODD = 0xFFFF0000;

    private Gemm() {}

    /** How many columns of k the vector blocks cover; the rest is the scalar tail. */
    static int mainK(int k) {
        return k - k % B;
    }

    /**
     * The activations ({@code rows} x {@code k}, row-major) in the order the kernels read for {@code w}: for BF16
     * weights each block of {@code 2L} values is split into its even and odd elements; F32 weights read them as given.
     */
    public static float[] packActivations(float[] a, int rows, int k, Weights w) {
        if (a.length < rows * k) throw new IllegalArgumentException("activations hold " + a.length + " values, need " + rows + " x " + k);
        if (k != w.columns()) throw new IllegalArgumentException("activations have " + k + " columns, the weights " + w.columns());
        if (!w.bf16()) return a;
        float[] p = new float[rows * k];
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
        if (packed.length < rows * k) throw new IllegalArgumentException("activations hold " + packed.length + " values, need " + rows + " x " + k);
        float[] lanes = new float[L];
        int c4 = colStart + (colEnd - colStart) / 4 * 4;
        boolean bf16 = w.bf16();
        for (int c = colStart; c < c4; c += 4) {
            for (int r = 0; r < rows; r++) {   // the 4 columns' weights stay in L1 while every row passes
                if (bf16) bf16Tile1x4(packed, k, r, w, c, out, n, lanes);
                else f32Tile1x4(packed, k, r, w, c, out, n, lanes);
            }
        }
        for (int c = c4; c < colEnd; c++) {
            for (int r = 0; r < rows; r++) {
                if (bf16) bf16Cell(packed, k, r, w, c, out, n, lanes);
                else f32Cell(packed, k, r, w, c, out, n, lanes);
            }
        }
    }

    /** Lanes summed in index order, then the scalar tail: the one way every kernel finishes a cell. */
    private static float finish(FloatVector acc, float[] lanes, float[] a, int aRow, Weights w, int c, int k) {
        acc.intoArray(lanes, 0);
        float s = lanes[0];
        for (int i = 1; i < L; i++) s += lanes[i];
        for (int kk = mainK(k); kk < k; kk++) s += a[aRow + kk] * w.get(c, kk);
        return s;
    }

    private static FloatVector even(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static FloatVector odd(IntVector v) {
        return v.and(ODD).reinterpretAsFloats();
    }

    private static void bf16Cell(float[] a, int k, int r, Weights w, int c, float[] out, int n, float[] lanes) {
        int main = mainK(k), ar = r * k;
        
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < main; b += B) {
            IntVector v = w.pairs(c, b);
            acc = FloatVector.fromArray(F, a, ar + b).fma(even(v), acc);
            acc = FloatVector.fromArray(F, a, ar + b + L).fma(odd(v), acc);
        }
        out[r * n + c] = finish(acc, lanes, a, ar, w, c, k);
    }

    private static void bf16Tile1x4(float[] a, int k, int r, Weights w, int c, float[] out, int n, float[] lanes) {
        int main = mainK(k), ar = r * k;
        int w0 = c, w1 = c + 1, w2 = c + 2, w3 = c + 3;
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int b = 0; b < main; b += B) {
            FloatVector ae = FloatVector.fromArray(F, a, ar + b), ao = FloatVector.fromArray(F, a, ar + b + L);
            IntVector v0 = w.pairs(w0, b);
            IntVector v1 = w.pairs(w1, b);
            IntVector v2 = w.pairs(w2, b);
            IntVector v3 = w.pairs(w3, b);
            c0 = ae.fma(even(v0), c0); c0 = ao.fma(odd(v0), c0);
            c1 = ae.fma(even(v1), c1); c1 = ao.fma(odd(v1), c1);
            c2 = ae.fma(even(v2), c2); c2 = ao.fma(odd(v2), c2);
            c3 = ae.fma(even(v3), c3); c3 = ao.fma(odd(v3), c3);
        }
        int o = r * n + c;
        out[o] = finish(c0, lanes, a, ar, w, c, k);
        out[o + 1] = finish(c1, lanes, a, ar, w, c + 1, k);
        out[o + 2] = finish(c2, lanes, a, ar, w, c + 2, k);
        out[o + 3] = finish(c3, lanes, a, ar, w, c + 3, k);
    }

    private static void f32Cell(float[] a, int k, int r, Weights w, int c, float[] out, int n, float[] lanes) {
        int main = mainK(k), ar = r * k;
        
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < main; b += B) {
            acc = FloatVector.fromArray(F, a, ar + b).fma(w.floats(c, b), acc);
            acc = FloatVector.fromArray(F, a, ar + b + L).fma(w.floats(c, b + L), acc);
        }
        out[r * n + c] = finish(acc, lanes, a, ar, w, c, k);
    }

    private static void f32Tile1x4(float[] a, int k, int r, Weights w, int c, float[] out, int n, float[] lanes) {
        int main = mainK(k), ar = r * k;
        int w0 = c, w1 = c + 1, w2 = c + 2, w3 = c + 3;
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int b = 0; b < main; b += B) {
            FloatVector ae = FloatVector.fromArray(F, a, ar + b), ao = FloatVector.fromArray(F, a, ar + b + L);
            c0 = ae.fma(w.floats(w0, b), c0); c0 = ao.fma(w.floats(w0, b + L), c0);
            c1 = ae.fma(w.floats(w1, b), c1); c1 = ao.fma(w.floats(w1, b + L), c1);
            c2 = ae.fma(w.floats(w2, b), c2); c2 = ao.fma(w.floats(w2, b + L), c2);
            c3 = ae.fma(w.floats(w3, b), c3); c3 = ao.fma(w.floats(w3, b + L), c3);
        }
        int o = r * n + c;
        out[o] = finish(c0, lanes, a, ar, w, c, k);
        out[o + 1] = finish(c1, lanes, a, ar, w, c + 1, k);
        out[o + 2] = finish(c2, lanes, a, ar, w, c + 2, k);
        out[o + 3] = finish(c3, lanes, a, ar, w, c + 3, k);
    }
}
