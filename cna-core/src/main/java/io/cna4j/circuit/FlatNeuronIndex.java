package io.cna4j.circuit;

import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;

/**
 * The one place that lays a model's per-layer activations out in a single flat array: element
 * {@code layer * width + index} holds {@code index} of {@code layer}. Discovery records MLP neurons this way
 * ({@link #mlpNeurons}), the CAA baseline the MLP outputs ({@link #mlpOutputs}); the exact sums
 * ({@link io.cna4j.circuit.reduce.NeuronSums}) and the selection read the same layout back through this type.
 *
 * {@snippet :
 * FlatNeuronIndex index = FlatNeuronIndex.mlpNeurons(model.info());
 * int flat = index.flat(NeuronId.of(3, 10));      // 3 * neuronsPerLayer + 10
 * NeuronId same = index.id(flat);                 // blocks.3.mlp.hook_post[10]
 * }
 *
 * @param layers layers of the model
 * @param width  values per layer (MLP neurons, or the hidden size for MLP outputs)
 */
public record FlatNeuronIndex(int layers, int width) {

    public FlatNeuronIndex {
        if (layers < 1 || width < 1) {
            throw new IllegalArgumentException("layers and width must be >= 1, got " + layers + " x " + width);
        }
        if ((long) layers * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(layers + " x " + width + " values do not fit one Java array");
        }
    }

    /** The MLP neurons of {@code info}: {@code layers x neuronsPerLayer}. */
    public static FlatNeuronIndex mlpNeurons(ModelInfo info) {
        return new FlatNeuronIndex(info.layers(), info.neuronsPerLayer());
    }

    /** The MLP outputs (down projection's output) of {@code info}: {@code layers x hiddenSize}. */
    public static FlatNeuronIndex mlpOutputs(ModelInfo info) {
        return new FlatNeuronIndex(info.layers(), info.hiddenSize());
    }

    /** Number of flat positions, {@code layers * width}. */
    public int size() {
        return layers * width;
    }

    /** The first flat position of {@code layer}. */
    public int offset(int layer) {
        if (layer < 0 || layer >= layers) {
            throw new IndexOutOfBoundsException("layer " + layer + " outside 0.." + (layers - 1));
        }
        return layer * width;
    }

    /** The flat position of {@code index} in {@code layer}. */
    public int flat(int layer, int index) {
        if (index < 0 || index >= width) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (width - 1) + " of layer " + layer);
        }
        return offset(layer) + index;
    }

    /** The flat position of a neuron. */
    public int flat(NeuronId id) {
        return flat(id.layer(), id.neuron());
    }

    /** The layer of a flat position. */
    public int layer(int flat) {
        return checked(flat) / width;
    }

    /** The index within its layer of a flat position. */
    public int index(int flat) {
        return checked(flat) % width;
    }

    /** The neuron at a flat position. */
    public NeuronId id(int flat) {
        return NeuronId.of(layer(flat), index(flat));
    }

    private int checked(int flat) {
        if (flat < 0 || flat >= size()) {
            throw new IndexOutOfBoundsException("flat position " + flat + " outside 0.." + (size() - 1));
        }
        return flat;
    }
}
