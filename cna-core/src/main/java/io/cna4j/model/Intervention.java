package io.cna4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one call does to a forward pass, as data: a backend can recognise each kind and run it natively.
 * <ul>
 *   <li>{@link NeuronMultipliers}: multiply chosen neurons at {@code blocks.L.mlp.hook_post} by fixed factors
 *       (what {@code circuit.steer(m)} returns); per-layer index and factor arrays built once;</li>
 *   <li>{@link AddAtHook}: add {@code scale * vector} at one hook, e.g. a CAA vector at
 *       {@code blocks.L.hook_mlp_out};</li>
 *   <li>{@link ActivationInterceptor}: custom code that sees (and may change) the activations, e.g. a recorder;
 *       {@link ActivationInterceptor#NONE} changes nothing;</li>
 *   <li>{@link All}: several of the above, in order ({@link #all}).</li>
 * </ul>
 * Interventions are immutable (interceptors excepted, which are the caller's code) and belong to one call, so
 * concurrent calls on one model can steer differently.
 *
 * <p>A backend applies an intervention at each hook by {@link #apply}: the variants call the bulk operations
 * of {@link ActivationRows} ({@link ActivationRows#scaleColumns}, {@link ActivationRows#addToRow}), which the
 * backend implements on its own tensors; and it asks {@link #actsAt} once per call to skip the hooks an
 * intervention does not touch.
 *
 * {@snippet class=io.cna4j.circuit.Snippets region="intervention"}
 */
public sealed interface Intervention permits NeuronMultipliers, AddAtHook, ActivationInterceptor, Intervention.All {

    /**
     * Checks, before a call runs, that everything this intervention addresses exists in {@code model}; models
     * call it at the start of every call, so that a circuit of another model never silently steers only part
     * of itself.
     *
     * @throws IllegalArgumentException naming the neuron or hook and the model's shape
     */
    void requireFits(ModelInfo model);

    /** Whether this intervention does anything at {@code hook}; a backend skips the hooks where none does. */
    boolean actsAt(HookPoint hook);

    /**
     * Applies this intervention to the activations at {@code hook} (whose layer is {@code rows.layer()}), in
     * place. Called by backends only where {@link #actsAt} is true.
     */
    void apply(HookPoint hook, ActivationRows rows);

    /**
     * All of {@code parts}, in order: at each hook the first acts first and later ones see its changes (a
     * neuron in two {@link NeuronMultipliers} is multiplied by both factors). Nested {@code All}s are flattened
     * and {@link ActivationInterceptor#NONE} dropped; one part is returned as itself, none as {@code NONE}.
     */
    static Intervention all(Intervention... parts) {
        return all(Arrays.asList(parts));
    }

    /** {@link #all(Intervention...)} over a list. */
    static Intervention all(List<? extends Intervention> parts) {
        List<Intervention> flat = new ArrayList<>();
        for (Intervention p : parts) {
            Objects.requireNonNull(p, "intervention");
            if (p instanceof All a) flat.addAll(a.parts());
            else if (p != ActivationInterceptor.NONE) flat.add(p);
        }
        if (flat.isEmpty()) return ActivationInterceptor.NONE;
        if (flat.size() == 1) return flat.get(0);
        return new All(List.copyOf(flat));
    }

    /**
     * Several interventions in order; build with {@link Intervention#all}.
     *
     * @param parts at least two, none of them an {@code All}
     */
    record All(List<Intervention> parts) implements Intervention {
        public All {
            parts = List.copyOf(parts);
        }

        @Override
        public void requireFits(ModelInfo model) {
            for (Intervention p : parts) p.requireFits(model);
        }

        @Override
        public boolean actsAt(HookPoint hook) {
            for (Intervention p : parts) if (p.actsAt(hook)) return true;
            return false;
        }

        @Override
        public void apply(HookPoint hook, ActivationRows rows) {
            for (Intervention p : parts) if (p.actsAt(hook)) p.apply(hook, rows);
        }
    }
}
