package io.cna4j.circuit;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.NeuronId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Interceptors that steer generation by scaling chosen MLP neurons' activations at every position
 * (prompt and generated tokens): a multiplier of 0 ablates, 1 leaves the model's outputs bit-identical
 * (multiplying a float by 1 is exact), above 1 amplifies, below 0 flips the sign.
 *
 * <p>Interceptors belong to one call, so concurrent requests can steer differently on the same model.
 *
 * {@snippet :
 * ActivationInterceptor ablate = Steering.scale(refusal, 0f);                 // same as refusal.steer(0f)
 * ActivationInterceptor both = Steering.combine(refusal.steer(0f), sycophancy.steerPositive(2f));
 * ActivationInterceptor custom = Steering.multipliers(Map.of(NeuronId.of(27, 1023), 3f, NeuronId.of(12, 7), 0f));
 * Generation g = model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(32), both);
 * }
 */
public final class Steering {
    private Steering() {}

    /** Multiplies all of {@code circuit}'s neurons by {@code multiplier}. */
    public static ActivationInterceptor scale(Circuit circuit, float multiplier) {
        return scale(circuit.neuronIds(), multiplier);
    }

    /**
     * Multiplies the given neurons by {@code multiplier}.
     *
     * @throws IllegalArgumentException if the multiplier is NaN or infinite
     */
    public static ActivationInterceptor scale(Collection<NeuronId> neurons, float multiplier) {
        requireFinite(multiplier, "multiplier");
        Map<NeuronId, Float> m = new HashMap<>();
        for (NeuronId id : neurons) m.put(Objects.requireNonNull(id, "neuron"), multiplier);
        return multipliers(m);
    }

    /**
     * Multiplies each neuron by its own factor. Neurons whose factor is exactly 1 are skipped; when all are,
     * the result is {@link ActivationInterceptor#NONE}.
     *
     * @throws IllegalArgumentException if a factor is null, NaN or infinite
     */
    public static ActivationInterceptor multipliers(Map<NeuronId, Float> multipliers) {
        Map<NeuronId, Float> active = new HashMap<>();
        for (Map.Entry<NeuronId, Float> e : multipliers.entrySet()) {
            Float f = e.getValue();
            if (f == null) throw new IllegalArgumentException("no multiplier for " + e.getKey());
            requireFinite(f, "multiplier of " + e.getKey());
            if (f != 1f) active.put(e.getKey(), f);
        }
        return active.isEmpty() ? ActivationInterceptor.NONE : new NeuronScaler(active);
    }

    /**
     * Runs several steering interceptors at every hook, in order (see {@link ActivationInterceptor#compose});
     * a neuron in two of them is multiplied by both factors.
     */
    public static ActivationInterceptor combine(ActivationInterceptor... interceptors) {
        return ActivationInterceptor.compose(List.of(interceptors));
    }

    private static void requireFinite(float f, String what) {
        if (!Float.isFinite(f)) throw new IllegalArgumentException(what + " must be finite, got " + f);
    }
}
