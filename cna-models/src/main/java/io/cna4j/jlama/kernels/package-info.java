/**
 * cna4j's own matrix kernels (Vector API) for the heavy projections of a forward pass: {@link io.cna4j.jlama.kernels.Gemm}
 * multiplies activations by {@link io.cna4j.jlama.kernels.Weights} read in place; {@link io.cna4j.jlama.kernels.Projections}
 * runs it on jlama's thread pool over output columns.
 */
package io.cna4j.jlama.kernels;
