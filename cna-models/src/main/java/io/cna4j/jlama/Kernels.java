package io.cna4j.jlama;

/**
 * Which matrix kernels run a model's MLP projections (gate, up, down), chosen per model with
 * {@link JlamaOptions#kernels(Kernels)}; never through jlama's JVM-wide {@code TensorOperationsProvider}.
 *
 * {@snippet :
 * JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.CNA4J));
 * }
 */
public enum Kernels {
    /**
     * cna4j's own Vector API kernels ({@link io.cna4j.jlama.kernels.Gemm}) for BF16 and F32 weights; other weight
     * types (jlama's Q4, I8) fall back to jlama's. Results differ from jlama's only by float32 summation order.
     */
    CNA4J,
    /** jlama's own kernels: bit-identical to stock jlama. */
    JLAMA
}
