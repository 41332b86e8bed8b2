/**
 * Rotary position embeddings as Hugging Face transformers computes them ({@link io.cna4j.jlama.rope.RopeScaling}),
 * written into jlama's precomputed table ({@link io.cna4j.jlama.rope.JlamaRopeTable}), which jlama 0.8.4 scales
 * only for Llama's {@code linear} type.
 */
@NullMarked
package io.cna4j.jlama.rope;

import org.jspecify.annotations.NullMarked;
