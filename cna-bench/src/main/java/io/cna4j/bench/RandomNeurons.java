package io.cna4j.bench;

import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A stand-in for a discovered circuit: a share of a model's MLP neurons drawn uniformly at random from a
 * fixed seed, so every fork steers the same neurons. Steering costs the same whichever neurons are chosen;
 * only how many there are, and in how many layers, matters.
 */
final class RandomNeurons {
    private RandomNeurons() {}

    /** {@code ceil(fraction * all neurons)} distinct neurons of {@code info}'s model. */
    static TreeSet<NeuronId> draw(ModelInfo info, double fraction, long seed) {
        long total = info.totalNeurons();
        int k = (int) Math.ceil(fraction * total);
        SplittableRandom r = new SplittableRandom(seed);
        TreeSet<NeuronId> picked = new TreeSet<>();
        while (picked.size() < k) {
            long flat = r.nextLong(total);
            picked.add(NeuronId.of((int) (flat / info.neuronsPerLayer()), (int) (flat % info.neuronsPerLayer())));
        }
        return picked;
    }
}
