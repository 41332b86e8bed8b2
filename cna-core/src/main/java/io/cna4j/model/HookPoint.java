package io.cna4j.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The stable address of one activation of a forward pass, in TransformerLens's naming: a layer and the
 * {@link Kind kind} of activation there. Its text form is {@code blocks.L.mlp.hook_post} (the MLP's hidden
 * activation, the down projection's input, one value per neuron) or {@code blocks.L.hook_mlp_out} (the MLP's
 * output, one value per hidden dimension, before it joins the residual stream).
 *
 * <p>Interventions name the hook they act at ({@link AddAtHook}), recorders subscribe to the hooks they need
 * ({@link ActivationInterceptor#actsAt}), and {@link NeuronId#toString()} writes a neuron as its hook's address
 * followed by {@code [neuron]}.
 *
 * {@snippet class=io.cna4j.circuit.Snippets region="hook-point"}
 *
 * @param layer the transformer layer, from 0
 * @param kind  which activation of the layer
 */
public record HookPoint(int layer, Kind kind) {
    private static final Pattern TEXT = Pattern.compile("blocks\\.(\\d+)\\.(mlp\\.hook_post|hook_mlp_out)");

    /** The activations cna4j's models expose, per layer. */
    public enum Kind {
        /** {@code mlp.hook_post}: {@code act(gate(x)) * up(x)}, the down projection's input; width = neurons per layer. */
        MLP_POST("mlp.hook_post"),
        /** {@code hook_mlp_out}: the down projection's output; width = hidden size. */
        MLP_OUT("hook_mlp_out");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        /** The name after {@code blocks.L.}, e.g. {@code mlp.hook_post}. */
        public String suffix() {
            return suffix;
        }

        /** The number of values per position at this hook on {@code model}. */
        public int width(ModelInfo model) {
            return this == MLP_POST ? model.neuronsPerLayer() : model.hiddenSize();
        }
    }

    public HookPoint {
        Objects.requireNonNull(kind, "kind");
        if (layer < 0) throw new IllegalArgumentException("layer must be >= 0, got " + layer);
    }

    /** {@code blocks.layer.mlp.hook_post}. */
    public static HookPoint mlpPost(int layer) {
        return new HookPoint(layer, Kind.MLP_POST);
    }

    /** {@code blocks.layer.hook_mlp_out}. */
    public static HookPoint mlpOut(int layer) {
        return new HookPoint(layer, Kind.MLP_OUT);
    }

    /**
     * Parses the form written by {@link #toString()}.
     *
     * @throws IllegalArgumentException if {@code text} is neither {@code blocks.L.mlp.hook_post} nor
     *         {@code blocks.L.hook_mlp_out}
     */
    public static HookPoint parse(String text) {
        var m = TEXT.matcher(Objects.requireNonNull(text, "text").trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a hook address (expected blocks.L.mlp.hook_post or blocks.L.hook_mlp_out): '"
                    + text + "'");
        }
        Kind kind = m.group(2).equals(Kind.MLP_POST.suffix) ? Kind.MLP_POST : Kind.MLP_OUT;
        return new HookPoint(Integer.parseInt(m.group(1)), kind);
    }

    /**
     * Checks that this hook exists in {@code model}.
     *
     * @throws IllegalArgumentException naming the hook and the model's layer count
     */
    public void requireFits(ModelInfo model) {
        if (layer >= model.layers()) {
            throw new IllegalArgumentException(this + " does not exist in " + model.name() + ": it has " + model.layers() + " layers");
        }
    }

    @Override
    public String toString() {
        return "blocks." + layer + "." + kind.suffix;
    }
}
