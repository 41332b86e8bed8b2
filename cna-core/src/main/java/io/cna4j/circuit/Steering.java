package io.cna4j.circuit;

import io.cna4j.model.Intervention;
import io.cna4j.model.NeuronId;
import io.cna4j.model.NeuronMultipliers;
import java.util.Collection;
import java.util.Map;

/**
 * Shorthands for steering interventions; each returns plain data ({@link NeuronMultipliers}) that a backend
 * applies natively. A multiplier of 0 ablates, 1 leaves the model's outputs bit-identical (multiplying a
 * float by 1 is exact), above 1 amplifies, below 0 flips the sign.
 *
 * <p>Interventions belong to one call, so concurrent requests can steer differently on the same model.
 *
 * {@snippet class=io.cna4j.circuit.Snippets region="steering"}
 */
public final class Steering {
    private Steering() {}

    /** Multiplies all of {@code circuit}'s neurons by {@code multiplier}; same as {@code circuit.steer(multiplier)}. */
    public static NeuronMultipliers scale(Circuit circuit, float multiplier) {
        return circuit.steer(multiplier);
    }

    /**
     * Multiplies the given neurons by {@code multiplier}.
     *
     * @throws IllegalArgumentException if the multiplier is NaN or infinite
     */
    public static NeuronMultipliers scale(Collection<NeuronId> neurons, float multiplier) {
        return NeuronMultipliers.of(neurons, multiplier);
    }

    /**
     * Multiplies each neuron by its own factor. Neurons whose factor is exactly 1 are dropped; when all are,
     * the result is {@linkplain NeuronMultipliers#isEmpty() empty} and changes nothing.
     *
     * @throws IllegalArgumentException if a factor is null, NaN or infinite
     */
    public static NeuronMultipliers multipliers(Map<NeuronId, Float> multipliers) {
        return NeuronMultipliers.of(multipliers);
    }

    /**
     * Runs several interventions at every hook, in order (see {@link Intervention#all}); a neuron in two of
     * them is multiplied by both factors.
     */
    public static Intervention combine(Intervention... interventions) {
        return Intervention.all(interventions);
    }
}
