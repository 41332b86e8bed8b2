/**
 * cna4j's own matrix kernels (Vector API) for the projections of a forward pass (the MLP's gate, up and down,
 * attention's q, k, v and o, the output head): {@link io.cna4j.jlama.kernels.Gemm} multiplies float activations
 * by {@link io.cna4j.jlama.kernels.Weights} (BF16 or F32 read in place from jlama's tensors, or a Q8_0 copy made at
 * load), with a 4 x 4 register tile for prompts and a 1 x 4 one for decoding;
 * {@link io.cna4j.jlama.kernels.Projections} splits each product over output columns and runs the parts on
 * {@link io.cna4j.jlama.kernels.KernelPool}, cna4j's spinning worker threads. Every output cell is computed the same
 * way whichever thread takes it, so results are bit-identical whatever the thread count.
 */
package io.cna4j.jlama.kernels;
