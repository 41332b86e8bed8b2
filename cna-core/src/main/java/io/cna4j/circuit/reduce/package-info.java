/**
 * Streaming, order-independent per-neuron reductions of MLP activations: the arithmetic under circuit
 * discovery.
 *
 * <p>{@link io.cna4j.circuit.reduce.NeuronSums} keeps, for every MLP neuron of a model, the exact sum of
 * the activations it has seen, in double-double (float64 pairs), updated with the Vector
 * API. Memory is O(neurons) whatever the number of prompts; partial sums merge; and because every sum is
 * exact, the result is bit-identical whatever the thread count or the order of the prompts.
 * {@link io.cna4j.circuit.reduce.TopActivationCounter} counts how often each neuron is among a prompt's
 * largest activations (the universal-neuron filter).
 */
@NullMarked
package io.cna4j.circuit.reduce;

import org.jspecify.annotations.NullMarked;
