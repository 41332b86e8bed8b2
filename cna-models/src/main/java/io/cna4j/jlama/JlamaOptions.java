package io.cna4j.jlama;

import java.io.Serializable;

/**
 * How jlama loads a model: the working precision of activations and an optional quantization of the weights.
 *
 * {@snippet :
 * JlamaOptions defaults = JlamaOptions.defaults();               // F32 activations, weights as stored
 * JlamaOptions stock = JlamaOptions.defaults().kernels(Kernels.JLAMA);   // jlama's kernels: stock jlama's bits
 * JlamaOptions small = JlamaOptions.defaults().quantize(JlamaOptions.Quantization.Q8_0);   // cna4j's int8 weights
 * }
 *
 * @param quantization how the weights are quantized when loading them
 * @param threads      worker threads for jlama's parallel operations, one count per JVM (jlama has one pool):
 *                     a load asking for another count than the first fails; 0 lets jlama choose (physical cores)
 * @param kernels      whose matrix kernels run the projections (MLP, attention, output head) of this model
 */
public record JlamaOptions(Quantization quantization, int threads, Kernels kernels) implements Serializable {
    private static final long serialVersionUID = 2L;

    /**
     * Weight quantization at load time. {@link #Q8_0} is cna4j's; with jlama 0.8.4, {@link
     * JlamaModels#load(java.nio.file.Path, JlamaOptions)} refuses jlama's {@link #Q4} and {@link #I8} with a {@link
     * ModelLoadException}: jlama leaves the projections unquantized and has no product for its I8 activations with
     * them (README, "Known jlama issues").
     */
    public enum Quantization {
        /** Weights as stored in the folder (F32, F16 or BF16). */
        NONE,
        /**
         * cna4j's Q8_0, for {@link Kernels#CNA4J}: every projection and the output head that cna4j's kernels run get an
         * int8 copy with one float scale per block of 32 values ({@code io.cna4j.jlama.kernels.Weights#q8}), made at
         * load on the Java heap (about 1.1 bytes per weight: size {@code -Xmx} for it). Decoding reads 44 % fewer
         * bytes than BF16 weights; the logits move by the quantization error (see {@code Q8ModelTest} for the measured
         * size). A matrix whose rows are not a multiple of 32 long stays as stored. Activations stay float32.
         */
        Q8_0,
        /** jlama's 4-bit block quantization. */
        Q4,
        /** jlama's 8-bit block quantization. */
        I8
    }

    public JlamaOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        if (kernels == null) throw new IllegalArgumentException("kernels must not be null");
    }

    /** Options with the default kernels, {@link Kernels#CNA4J}. */
    public JlamaOptions(Quantization quantization, int threads) {
        this(quantization, threads, Kernels.CNA4J);
    }

    /**
     * Weights as stored, jlama's default thread count, cna4j's kernels ({@link Kernels#CNA4J}: faster than jlama's
     * and float32 throughout; {@code kernels(Kernels.JLAMA)} gives stock jlama's arithmetic bit for bit).
     */
    public static JlamaOptions defaults() {
        return new JlamaOptions(Quantization.NONE, 0, Kernels.CNA4J);
    }

    /** These options with {@code q} quantization. */
    public JlamaOptions quantize(Quantization q) {
        return new JlamaOptions(q, threads, kernels);
    }

    /**
     * These options with {@code n} worker threads. jlama keeps one thread count per JVM: the first load that asks
     * sets it, and a load asking for another count fails with a message naming both counts.
     */
    public JlamaOptions threads(int n) {
        return new JlamaOptions(quantization, n, kernels);
    }

    /** These options with {@code k}'s kernels for the projections (MLP, attention, output head). */
    public JlamaOptions kernels(Kernels k) {
        return new JlamaOptions(quantization, threads, k);
    }
}
