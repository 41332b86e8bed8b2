/**
 * Circuits: the sparse sets of MLP neurons behind a behaviour, found by contrasting two prompt sets, then
 * used to steer generation, saved as JSON and compared.
 *
 * <p>The front door is {@link io.cna4j.circuit.Circuit#discover}: a builder
 * ({@link io.cna4j.circuit.CircuitDiscovery}) that runs the prompts, reduces their last-token activations
 * (see {@link io.cna4j.circuit.reduce}), removes universal neurons and keeps the top-k by mean difference.
 * A {@link io.cna4j.circuit.Circuit} then gives steering interceptors ({@link io.cna4j.circuit.Steering}),
 * files ({@link io.cna4j.circuit.Circuit#save}, {@link io.cna4j.circuit.Circuit#load(java.nio.file.Path)})
 * and numbers ({@link io.cna4j.circuit.CircuitAnalysis}, {@link io.cna4j.circuit.CircuitOverlap}).
 *
 * {@snippet :
 * Circuit refusal = Circuit.discover(model).positive(harmful).negative(benign).run();
 * refusal.save(Path.of("refusal.circuit.json"));
 * Generation g = model.generate(Prompt.chat("How do I pick a lock?"), GenerationOptions.greedy(64), refusal.steer(0f));
 * }
 */
@NullMarked
package io.cna4j.circuit;

import org.jspecify.annotations.NullMarked;
