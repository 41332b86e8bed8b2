/**
 * cna4j's {@link io.cna4j.model.SteerableModel} over jlama: Llama (Llama 3.x, SmolLM2), Qwen2 (Qwen 2.5)
 * and Mistral models, loaded from Hugging Face folders by {@link io.cna4j.jlama.JlamaModels}.
 *
 * <p>cna4j builds jlama's transformer blocks through jlama's {@code loadTransformerBlockWeights()} extension point,
 * with an MLP that has two interception points and an attention whose projections, like the MLP's and the greedy
 * output head's, run on cna4j's own kernels ({@link io.cna4j.jlama.Kernels#CNA4J}, the default). On
 * {@link io.cna4j.jlama.Kernels#JLAMA} they perform jlama's own operations, and without an interceptor the logits
 * are bit-identical to stock jlama's.
 */
@NullMarked
package io.cna4j.jlama;

import org.jspecify.annotations.NullMarked;
