package io.cna4j.jlama;

/**
 * Which matrix kernels run a model's projections (the MLP's gate, up and down; attention's q, k, v and o; the
 * output head), chosen per model with {@link JlamaOptions#kernels(Kernels)}; never through jlama's JVM-wide
 * {@code TensorOperationsProvider}.
 *
 * {@snippet :
 * JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.CNA4J));
 * }
 */
public enum Kernels {
    /**
     * cna4j's own Vector API kernels ({@link io.cna4j.jlama.kernels.Gemm}) for BF16 and F32 weights, with cna4j's
     * own attention (RoPE, causal softmax over jlama's key/value cache) around them and its own greedy output head;
     * other weight types (jlama's Q4, I8), a distributed context that splits the heads and sampling at a
     * temperature above 0 fall back to jlama's. Results differ from jlama's only by float32 rounding order.
     */
    CNA4J,
    /** jlama's own kernels: bit-identical to stock jlama. */
    JLAMA
}
