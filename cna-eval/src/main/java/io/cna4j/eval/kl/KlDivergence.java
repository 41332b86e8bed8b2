package io.cna4j.eval.kl;

/**
 * {@code KL(p || q) = sum_i p_i (log p_i - log q_i)} between the softmax distributions of two logit vectors, in
 * nats, computed in double with a numerically stable log-softmax ({@code x_i - max - log sum exp(x_j - max)}).
 * Identical logits give exactly 0: every term is {@code p_i * 0}.
 *
 * {@snippet :
 * double kl = KlDivergence.between(new float[] {0f, 0f}, new float[] {(float) Math.log(3), 0f});
 * // p = (1/2, 1/2), q = (3/4, 1/4): 0.5 ln(2/3) + 0.5 ln 2 = 0.1438
 * }
 */
public final class KlDivergence {
    private KlDivergence() {}

    /**
     * {@code KL(softmax(p) || softmax(q))}, >= 0 (tiny negative rounding is clamped to 0).
     *
     * @throws IllegalArgumentException if the lengths differ, are 0, or a logit is NaN or infinite (the message
     *         names the vector and index)
     */
    public static double between(float[] pLogits, float[] qLogits) {
        if (pLogits.length != qLogits.length) {
            throw new IllegalArgumentException("logit vectors differ in length: " + pLogits.length + " vs " + qLogits.length);
        }
        double[] lp = logSoftmax(pLogits, "p");
        double[] lq = logSoftmax(qLogits, "q");
        double sum = 0;
        for (int i = 0; i < lp.length; i++) {
            double p = Math.exp(lp[i]);
            if (p > 0) sum += p * (lp[i] - lq[i]);
        }
        return Math.max(0, sum);
    }

    /**
     * The log-softmax of {@code logits} in double: {@code x_i - m - log(sum_j exp(x_j - m))}, {@code m = max x}.
     *
     * @throws IllegalArgumentException for an empty vector or a NaN or infinite logit
     */
    public static double[] logSoftmax(float[] logits, String name) {
        if (logits.length == 0) throw new IllegalArgumentException("logit vector " + name + " is empty");
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new IllegalArgumentException("logit vector " + name + " has non-finite value " + logits[i] + " at index " + i);
            }
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (float x : logits) sum += Math.exp(x - max);
        double logSum = Math.log(sum);
        double[] out = new double[logits.length];
        // (x - max) first: exact for floats of similar magnitude, so large logits lose nothing to the subtraction
        for (int i = 0; i < logits.length; i++) out[i] = (logits[i] - max) - logSum;
        return out;
    }
}
