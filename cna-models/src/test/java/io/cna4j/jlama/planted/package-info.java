/**
 * Planted-circuit models: small Llama- and Qwen2-layout chat models whose refusal circuit is known because it
 * was written into the weights, so that discovery and steering can be scored against ground truth without
 * downloading real weights. Start at {@link io.cna4j.jlama.planted.PlantedModel}.
 */
@NullMarked
package io.cna4j.jlama.planted;

import org.jspecify.annotations.NullMarked;
