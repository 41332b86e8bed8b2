package io.cna4j.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Multiplies chosen MLP neurons' activations ({@code blocks.L.mlp.hook_post}) by fixed factors at every
 * position, prompt and generated tokens alike: a factor of 0 ablates, 1 leaves the model bit-identical
 * (multiplying a float by 1 is exact), above 1 amplifies, below 0 flips the sign. This is what
 * {@code circuit.steer(m)} returns.
 *
 * <p>The neurons are held as plain arrays per layer (sorted neuron indices and their factors), built once
 * and never changed; a backend applies a layer's pair with one bulk call,
 * {@link ActivationRows#scaleColumns}. Factors of exactly 1 are dropped on construction, so an instance may
 * be {@linkplain #isEmpty() empty} and then changes nothing.
 *
 * {@snippet class=io.cna4j.circuit.Snippets region="neuron-multipliers"}
 */
public final class NeuronMultipliers implements Intervention {
    private static final int[] NO_NEURONS = {};
    private static final float[] NO_FACTORS = {};

    private final int[][] neurons;   // per layer, sorted; empty when none
    private final float[][] factors;
    private final int count;

    private NeuronMultipliers(int[][] neurons, float[][] factors, int count) {
        this.neurons = neurons;
        this.factors = factors;
        this.count = count;
    }

    /**
     * Multiplies each of {@code neurons} by {@code factor} (a neuron listed twice counts once).
     *
     * @throws IllegalArgumentException if the factor is NaN or infinite
     */
    public static NeuronMultipliers of(Collection<NeuronId> neurons, float factor) {
        requireFinite(factor, "multiplier");
        NeuronId[] ids = neurons.stream().map(id -> Objects.requireNonNull(id, "neuron")).sorted().distinct()
                .toArray(NeuronId[]::new);
        float[] fs = new float[ids.length];
        Arrays.fill(fs, factor);
        return build(ids, fs);
    }

    /**
     * Multiplies each neuron by its own factor.
     *
     * @throws IllegalArgumentException if a factor is null, NaN or infinite
     */
    public static NeuronMultipliers of(Map<NeuronId, Float> multipliers) {
        NeuronId[] ids = multipliers.keySet().stream().map(id -> Objects.requireNonNull(id, "neuron")).sorted()
                .toArray(NeuronId[]::new);
        float[] fs = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Float f = multipliers.get(ids[i]);
            if (f == null) throw new IllegalArgumentException("no multiplier for " + ids[i]);
            requireFinite(f, "multiplier of " + ids[i]);
            fs[i] = f;
        }
        return build(ids, fs);
    }

    /** {@code ids} sorted and distinct; drops factors of exactly 1. */
    private static NeuronMultipliers build(NeuronId[] ids, float[] fs) {
        int layers = 0;
        int[] perLayer = new int[ids.length == 0 ? 0 : ids[ids.length - 1].layer() + 1];
        for (int i = 0; i < ids.length; i++) {
            if (fs[i] == 1f) continue;
            perLayer[ids[i].layer()]++;
            layers = ids[i].layer() + 1;
        }
        int[][] neurons = new int[layers][];
        float[][] factors = new float[layers][];
        int[] fill = new int[layers];
        for (int l = 0; l < layers; l++) {
            neurons[l] = perLayer[l] == 0 ? NO_NEURONS : new int[perLayer[l]];
            factors[l] = perLayer[l] == 0 ? NO_FACTORS : new float[perLayer[l]];
        }
        int count = 0;
        for (int i = 0; i < ids.length; i++) {
            if (fs[i] == 1f) continue;
            int l = ids[i].layer();
            neurons[l][fill[l]] = ids[i].neuron();
            factors[l][fill[l]++] = fs[i];
            count++;
        }
        return new NeuronMultipliers(neurons, factors, count);
    }

    /** The number of neurons multiplied (factors of 1 not counted). */
    public int size() {
        return count;
    }

    /** Whether no neuron is multiplied: then this changes nothing. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** One more than the highest layer with a multiplied neuron; 0 when empty. */
    public int layerCount() {
        return neurons.length;
    }

    /** A copy of the sorted neuron indices multiplied in {@code layer} (empty when none). */
    public int[] neurons(int layer) {
        return layer < 0 || layer >= neurons.length ? NO_NEURONS : neurons[layer].clone();
    }

    /** A copy of the factors of {@link #neurons(int) neurons(layer)}, in the same order. */
    public float[] factors(int layer) {
        return layer < 0 || layer >= factors.length ? NO_FACTORS : factors[layer].clone();
    }

    /** The factor of {@code id}: 1 when it is not multiplied. */
    public float factor(NeuronId id) {
        if (id.layer() >= neurons.length) return 1f;
        int i = Arrays.binarySearch(neurons[id.layer()], id.neuron());
        return i < 0 ? 1f : factors[id.layer()][i];
    }

    @Override
    public void requireFits(ModelInfo model) {
        for (int l = 0; l < neurons.length; l++) {
            int[] idx = neurons[l];
            if (idx.length == 0) continue;
            int max = idx[idx.length - 1];
            if (l >= model.layers() || max >= model.neuronsPerLayer()) {
                throw new IllegalArgumentException("cannot steer " + NeuronId.of(l, l >= model.layers() ? idx[0] : max)
                        + " on " + model.name() + ": it has " + model.layers() + " layers of " + model.neuronsPerLayer()
                        + " MLP neurons (a circuit of another model?)");
            }
        }
    }

    @Override
    public boolean actsAt(HookPoint hook) {
        return hook.kind() == HookPoint.Kind.MLP_POST && hook.layer() < neurons.length && neurons[hook.layer()].length > 0;
    }

    @Override
    public void apply(HookPoint hook, ActivationRows rows) {
        if (!actsAt(hook)) return;
        int layer = hook.layer();
        int[] idx = neurons[layer];
        int max = idx[idx.length - 1];
        if (max >= rows.width()) {
            throw new IllegalStateException("cannot steer " + NeuronId.of(layer, max) + ": layer " + layer
                    + " has only " + rows.width() + " MLP neurons (a circuit of another model?)");
        }
        rows.scaleColumns(idx, factors[layer]);
    }

    private static void requireFinite(float f, String what) {
        if (!Float.isFinite(f)) throw new IllegalArgumentException(what + " must be finite, got " + f);
    }

    @Override
    public String toString() {
        return "NeuronMultipliers[" + count + " neurons]";
    }
}
