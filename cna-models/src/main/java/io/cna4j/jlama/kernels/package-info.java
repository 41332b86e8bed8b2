/**
 * cna4j's own matrix kernels (Vector API) for the projections of a forward pass (the MLP's gate, up and down,
 * attention's q, k, v and o, the output head): {@link io.cna4j.jlama.kernels.Gemm} multiplies float activations
 * by {@link io.cna4j.jlama.kernels.Weights} (BF16 or F32) read in place from jlama's tensors, with a 4 x 4 register
 * tile for prompts and a 1 x 4 one for decoding; {@link io.cna4j.jlama.kernels.Projections} runs it on jlama's
 * thread pool over fixed column ranges, so results are bit-identical whatever the thread count.
 */
package io.cna4j.jlama.kernels;
