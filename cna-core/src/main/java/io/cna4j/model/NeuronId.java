package io.cna4j.model;

/**
 * The stable address of one MLP neuron: its layer and its index among the layer's down-projection inputs.
 *
 * <p>Its text form follows TransformerLens's hook names, {@code blocks.{layer}.mlp.hook_post[{neuron}]},
 * so circuit files and logs read the same way as interpretability notebooks.
 *
 * {@snippet :
 * NeuronId id = NeuronId.of(27, 1023);
 * id.toString();             // "blocks.27.mlp.hook_post[1023]"
 * NeuronId.parse(id.toString()).equals(id); // true
 * }
 *
 * @param layer  the transformer layer, from 0
 * @param neuron the neuron's index in the layer's MLP, from 0
 */
public record NeuronId(int layer, int neuron) implements Comparable<NeuronId> {

    public NeuronId {
        if (layer < 0 || neuron < 0) {
            throw new IllegalArgumentException("layer and neuron must be >= 0, got layer " + layer + ", neuron " + neuron);
        }
    }

    /** Shorthand for {@code new NeuronId(layer, neuron)}. */
    public static NeuronId of(int layer, int neuron) {
        return new NeuronId(layer, neuron);
    }

    /**
     * Parses the form written by {@link #toString()}.
     *
     * @throws IllegalArgumentException if {@code text} is not of the form {@code blocks.L.mlp.hook_post[N]}
     */
    public static NeuronId parse(String text) {
        var m = java.util.regex.Pattern.compile("blocks\\.(\\d+)\\.mlp\\.hook_post\\[(\\d+)]").matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a neuron address (expected blocks.L.mlp.hook_post[N]): '" + text + "'");
        }
        return new NeuronId(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Orders by layer, then neuron. */
    @Override
    public int compareTo(NeuronId o) {
        int c = Integer.compare(layer, o.layer);
        return c != 0 ? c : Integer.compare(neuron, o.neuron);
    }

    /** The hook this neuron's activation is read and steered at, {@code blocks.L.mlp.hook_post}. */
    public HookPoint hookPoint() {
        return HookPoint.mlpPost(layer);
    }

    @Override
    public String toString() {
        return hookPoint() + "[" + neuron + "]";
    }
}
