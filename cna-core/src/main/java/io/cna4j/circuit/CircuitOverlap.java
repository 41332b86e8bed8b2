package io.cna4j.circuit;

import io.cna4j.model.NeuronId;
import java.util.HashSet;
import java.util.Set;

/**
 * How much two circuits share, counted in (layer, neuron) pairs.
 *
 * {@snippet :
 * CircuitOverlap o = CircuitOverlap.of(refusalOnHarmBench, refusalOnJbb);
 * System.out.printf("%d shared, %.0f %% of the first, Jaccard %.2f%n",
 *         o.shared(), 100 * o.shareOfFirst(), o.jaccard());
 * }
 *
 * @param firstSize  neurons of the first circuit
 * @param secondSize neurons of the second circuit
 * @param shared     neurons in both
 */
public record CircuitOverlap(int firstSize, int secondSize, int shared) {

    public CircuitOverlap {
        if (firstSize < 0 || secondSize < 0 || shared < 0 || shared > Math.min(firstSize, secondSize)) {
            throw new IllegalArgumentException("inconsistent overlap: " + firstSize + ", " + secondSize + ", shared " + shared);
        }
    }

    /** Compares the neuron sets of two circuits (their models are not checked). */
    public static CircuitOverlap of(Circuit first, Circuit second) {
        return of(first.neuronIds(), second.neuronIds());
    }

    /** Compares two neuron sets. */
    public static CircuitOverlap of(Set<NeuronId> first, Set<NeuronId> second) {
        Set<NeuronId> both = new HashSet<>(first);
        both.retainAll(second);
        return new CircuitOverlap(first.size(), second.size(), both.size());
    }

    /** Shared neurons over the first circuit's size (intersection over the first); 0 when it is empty. */
    public double shareOfFirst() {
        return firstSize == 0 ? 0 : (double) shared / firstSize;
    }

    /** Shared neurons over the second circuit's size; 0 when it is empty. */
    public double shareOfSecond() {
        return secondSize == 0 ? 0 : (double) shared / secondSize;
    }

    /** Intersection over union; 0 when both are empty. */
    public double jaccard() {
        int union = firstSize + secondSize - shared;
        return union == 0 ? 0 : (double) shared / union;
    }
}
