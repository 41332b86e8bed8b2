/**
 * cna4j's {@link io.cna4j.model.SteerableModel} over jlama: Llama (Llama 3.x, SmolLM2), Qwen2 (Qwen 2.5)
 * and Mistral models, loaded from Hugging Face folders by {@link io.cna4j.jlama.JlamaModels}.
 *
 * <p>The only change to jlama's forward pass is the MLP block: cna4j builds its transformer blocks through
 * jlama's {@code loadTransformerBlockWeights()} extension point with an MLP that performs jlama's own
 * operations plus two interception points. Without an interceptor the logits are bit-identical to stock jlama.
 */
@NullMarked
package io.cna4j.jlama;

import org.jspecify.annotations.NullMarked;
