/**
 * The model-facing SPI: what cna4j needs from a transformer runtime, with no runtime's types in it.
 *
 * <p>A {@link io.cna4j.model.SteerableModel} runs forward passes and greedy generation; an
 * {@link io.cna4j.model.ActivationInterceptor}, passed per call, sees (and may change) every MLP layer's
 * down-projection input and output through {@link io.cna4j.model.ActivationRows}. Neurons are addressed
 * by {@link io.cna4j.model.NeuronId} (layer, index), never by tensor memory.
 *
 * <p>The jlama implementation lives in the {@code cna-models} module ({@code io.cna4j.jlama.JlamaModels}).
 */
@NullMarked
package io.cna4j.model;

import org.jspecify.annotations.NullMarked;
