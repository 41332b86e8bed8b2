package io.cna4j.circuit.reduce;

/** {@link NeuronSums} as a plain loop: one neuron at a time, the same operations as the vector version. */
final class ScalarNeuronSums extends NeuronSums {

    ScalarNeuronSums(int width) {
        super(width);
    }

    @Override
    void accumulate(float[] values) {
        for (int j = 0; j < width; j++) {
            double x = values[j];
            ExactSum.add(sumHi, sumLo, j, ExactSum.onSumGrain(x));
        }
    }
}
