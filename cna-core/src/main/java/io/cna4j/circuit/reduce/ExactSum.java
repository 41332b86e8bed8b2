package io.cna4j.circuit.reduce;

/**
 * The scalar arithmetic of {@link NeuronSums}: error-free double-double accumulation on a fixed grain.
 *
 * <p>A sum is held as a pair {@code (hi, lo)} with {@code hi = fl(S)} and {@code lo = S - hi}, where S is the
 * exact sum. Each addend is first rounded to a fixed grain ({@link #SUM_GRAIN_BITS} binary places;
 * only values far below any realistic activation change), so every partial sum is a multiple of that grain. While partial sums stay below
 * {@code 2^(104 - grain bits)} (guaranteed by {@link NeuronSums#MAX_ABS_ACTIVATION} and
 * {@link NeuronSums#MAX_COUNT}) every TwoSum and every addition of low parts is exact, so the pair is
 * exactly {@code (fl(S), S - fl(S))}: a function of the multiset of addends alone, not of their order.
 */
final class ExactSum {
    /** Sums of activations are kept exactly on a grid of 2^-60. */
    static final int SUM_GRAIN_BITS = 60;

    /** Adding then subtracting this rounds |x| < SUM_ROUND_BELOW to a multiple of 2^-60 (ulp(C) = 2^-60). */
    static final double SUM_ROUNDER = 1.5 * 0x1p-8;
    static final double SUM_ROUND_BELOW = 0x1p-9;
    /** Floats at least this large in magnitude are multiples of 2^-60 already: rounding leaves them unchanged. */
    static final double SUM_GRAIN_FLOOR = 0x1p-37;

    private ExactSum() {}

    /**
     * x rounded to a multiple of 2^-60. Floats with |x| >= 2^-37 already are, so only values below
     * ~7e-12 can change, by at most 2^-61.
     */
    static double onSumGrain(double x) {
        return Math.abs(x) < SUM_ROUND_BELOW ? (x + SUM_ROUNDER) - SUM_ROUNDER : x;
    }

    /**
     * Adds {@code x} to the pair {@code (hi[i], lo[i])} and renormalises: TwoSum(hi, x) = (s, e) exactly,
     * t = lo + e (exact on the grain), then FastTwoSum(s, t).
     *
     * <p>FastTwoSum needs {@code |s| >= |t|} (or s = 0). It holds: without cancellation |s| is about
     * max(|hi|, |x|) while |t| <= ulp(hi)/2 + ulp(s)/2; with cancellation (Sterbenz, x within a factor 2 of
     * -hi) s is exact, e = 0, t = lo, and s is a non-zero multiple of ulp(hi) (a float x that large has a
     * far coarser ulp than hi), so |s| >= ulp(hi) >= 2|lo|.
     */
    static void add(double[] hi, double[] lo, int i, double x) {
        double a = hi[i];
        double s = a + x;
        double bb = s - a;
        double e = (a - (s - bb)) + (x - bb);
        double t = lo[i] + e;
        double h = s + t;
        hi[i] = h;
        lo[i] = t - (h - s);
    }

    /** Adds the pair {@code (oh, ol)} to {@code (hi[i], lo[i])}, exactly (see the class comment). */
    static void addPair(double[] hi, double[] lo, int i, double oh, double ol) {
        double a = hi[i];
        double s = a + oh;
        double bb = s - a;
        double e = (a - (s - bb)) + (oh - bb);
        double t = (lo[i] + ol) + e;
        double h = s + t;
        double b2 = h - s;
        hi[i] = h;
        lo[i] = (s - (h - b2)) + (t - b2);
    }
}
