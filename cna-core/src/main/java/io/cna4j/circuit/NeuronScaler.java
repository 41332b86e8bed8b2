package io.cna4j.circuit;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Multiplies chosen neurons' activations by fixed factors at every position. Neuron indices and factors
 * are precomputed per layer, so a layer costs O(its steered neurons x rows) and layers without steered
 * neurons cost one array lookup.
 */
final class NeuronScaler implements ActivationInterceptor {
    private final int[][] neurons;   // per layer; empty when none
    private final float[][] factors;
    private final int[] maxNeuron;   // per layer, -1 when none
    private final int count;

    NeuronScaler(Map<NeuronId, Float> multipliers) {
        TreeMap<NeuronId, Float> sorted = new TreeMap<>(multipliers);
        int layers = sorted.isEmpty() ? 0 : sorted.lastKey().layer() + 1;
        List<List<Map.Entry<NeuronId, Float>>> byLayer = new ArrayList<>();
        for (int l = 0; l < layers; l++) byLayer.add(new ArrayList<>());
        for (Map.Entry<NeuronId, Float> e : sorted.entrySet()) byLayer.get(e.getKey().layer()).add(e);
        this.neurons = new int[layers][];
        this.factors = new float[layers][];
        this.maxNeuron = new int[layers];
        for (int l = 0; l < layers; l++) {
            List<Map.Entry<NeuronId, Float>> in = byLayer.get(l);
            neurons[l] = new int[in.size()];
            factors[l] = new float[in.size()];
            maxNeuron[l] = -1;
            for (int i = 0; i < in.size(); i++) {
                neurons[l][i] = in.get(i).getKey().neuron();
                factors[l][i] = in.get(i).getValue();
                maxNeuron[l] = Math.max(maxNeuron[l], neurons[l][i]);
            }
        }
        this.count = sorted.size();
    }

    @Override
    public void requireFits(ModelInfo model) {
        for (int l = 0; l < neurons.length; l++) {
            if (neurons[l].length == 0) continue;
            if (l >= model.layers() || maxNeuron[l] >= model.neuronsPerLayer()) {
                throw new IllegalArgumentException("cannot steer " + NeuronId.of(l, l >= model.layers() ? neurons[l][0] : maxNeuron[l])
                        + " on " + model.name() + ": it has " + model.layers() + " layers of " + model.neuronsPerLayer()
                        + " MLP neurons (a circuit of another model?)");
            }
        }
    }

    @Override
    public void onMlpActivation(ActivationRows rows) {
        int layer = rows.layer();
        if (layer >= neurons.length) return;
        int[] idx = neurons[layer];
        if (idx.length == 0) return;
        if (maxNeuron[layer] >= rows.width()) {
            throw new IllegalStateException("cannot steer " + NeuronId.of(layer, maxNeuron[layer]) + ": layer " + layer
                    + " has only " + rows.width() + " MLP neurons (a circuit of another model?)");
        }
        float[] f = factors[layer];
        int rowCount = rows.rowCount();
        for (int r = 0; r < rowCount; r++) {
            for (int i = 0; i < idx.length; i++) {
                rows.set(r, idx[i], rows.get(r, idx[i]) * f[i]);
            }
        }
    }

    @Override
    public String toString() {
        return "NeuronScaler[" + count + " neurons]";
    }
}
