package io.cna4j.circuit;

/**
 * Where a circuit's neurons sit in the model's depth.
 *
 * {@snippet :
 * CircuitAnalysis a = refusal.analysis();
 * int[] perLayer = a.countsPerLayer();          // perLayer[l] = neurons in layer l
 * double late = a.shareInLastTenthOfLayers();   // e.g. 0.63 = 63 % of the circuit in the last 10 % of layers
 * }
 *
 * @param layers         the model's layer count
 * @param countsPerLayer neurons of the circuit per layer
 */
public record CircuitAnalysis(int layers, int[] countsPerLayer) {

    public CircuitAnalysis {
        countsPerLayer = countsPerLayer.clone();
        if (countsPerLayer.length != layers) {
            throw new IllegalArgumentException(layers + " layers but " + countsPerLayer.length + " counts");
        }
    }

    /** Counts the neurons of {@code circuit} per layer. */
    public static CircuitAnalysis of(Circuit circuit) {
        int[] counts = new int[circuit.model().layers()];
        for (CircuitNeuron n : circuit.neurons()) counts[n.layer()]++;
        return new CircuitAnalysis(counts.length, counts);
    }

    /** Neurons per layer (a copy). */
    @Override
    public int[] countsPerLayer() {
        return countsPerLayer.clone();
    }

    /** All neurons of the circuit. */
    public int size() {
        int s = 0;
        for (int c : countsPerLayer) s += c;
        return s;
    }

    /**
     * The share of the circuit's neurons in the last {@code n} layers, in [0, 1].
     *
     * @throws IllegalArgumentException unless {@code 1 <= n <= layers}
     */
    public double shareInLastLayers(int n) {
        if (n < 1 || n > layers) throw new IllegalArgumentException("n must be in [1, " + layers + "], got " + n);
        int in = 0;
        for (int l = layers - n; l < layers; l++) in += countsPerLayer[l];
        int size = size();
        return size == 0 ? 0 : (double) in / size;
    }

    /** The share in the last 10 % of layers, rounded up to whole layers (at least one). */
    public double shareInLastTenthOfLayers() {
        return shareInLastLayers(lastTenthLayerCount());
    }

    /** How many layers "the last 10 %" is: {@code ceil(layers / 10)}, at least 1. */
    public int lastTenthLayerCount() {
        return Math.max(1, (layers + 9) / 10);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CircuitAnalysis a && a.layers == layers && java.util.Arrays.equals(a.countsPerLayer, countsPerLayer);
    }

    @Override
    public int hashCode() {
        return 31 * layers + java.util.Arrays.hashCode(countsPerLayer);
    }

    @Override
    public String toString() {
        return "CircuitAnalysis[layers=" + layers + ", countsPerLayer=" + java.util.Arrays.toString(countsPerLayer) + "]";
    }
}
