/**
 * The model-facing SPI: what cna4j needs from a transformer runtime, with no runtime's types in it.
 *
 * <p>A {@link io.cna4j.model.SteerableModel} runs forward passes (with or without logits) and greedy
 * generation; an {@link io.cna4j.model.Intervention}, passed per call, says what happens to the activations
 * at the named {@link io.cna4j.model.HookPoint}s ({@code blocks.L.mlp.hook_post}, {@code blocks.L.hook_mlp_out}):
 * plain data that a backend runs natively ({@link io.cna4j.model.NeuronMultipliers},
 * {@link io.cna4j.model.AddAtHook}) or custom code ({@link io.cna4j.model.ActivationInterceptor}) that sees
 * and may change them through {@link io.cna4j.model.ActivationRows}. Neurons are addressed by
 * {@link io.cna4j.model.NeuronId} (layer, index), never by tensor memory.
 *
 * <p>The jlama implementation lives in the {@code cna-models} module ({@code io.cna4j.jlama.JlamaModels}).
 */
@NullMarked
package io.cna4j.model;

import org.jspecify.annotations.NullMarked;
