package io.cna4j.jlama;

/**
 * Which matrix kernels run a model's projections (the MLP's gate, up and down; attention's q, k, v and o; the
 * output head), chosen per model with {@link JlamaOptions#kernels(Kernels)}; never through jlama's JVM-wide
 * {@code TensorOperationsProvider}.
 *
 * {@snippet :
 * JlamaModels.load(folder);                                                // Kernels.CNA4J, the default
 * JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.JLAMA)); // stock jlama's arithmetic
 * }
 */
public enum Kernels {
    /**
     * The default: cna4j's own Vector API kernels ({@link io.cna4j.jlama.kernels.Gemm}) for BF16 and F32 weights (and
     * their Q8_0 copies, {@link JlamaOptions.Quantization#Q8_0}), on cna4j's threads
     * ({@link io.cna4j.jlama.kernels.KernelPool}), with cna4j's
     * own attention (RoPE, causal softmax over jlama's key/value cache) around them and its own greedy output head;
     * other weight types (jlama's Q4, I8), a distributed context that splits the heads and sampling at a
     * temperature above 0 fall back to jlama's. Activations stay float32 (jlama rounds them to BF16 before each
     * projection of a BF16 model), so the logits of a BF16 model are within about 1e-6 of its float32 reference
     * where jlama's are within about 6e-3 ({@code KernelsAgreeTest}); on F32 weights the two agree to float32
     * rounding order. The kernels' products are bit-identical whatever the thread count and whether the JIT has
     * compiled them yet (the norms between them are still jlama's operations).
     */
    CNA4J,
    /**
     * jlama's own kernels: with no interceptor the logits are bit-identical to stock jlama's ({@code ParityTest}); for
     * comparison, and for what cna4j's kernels do not cover.
     */
    JLAMA
}
