package io.cna4j.circuit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the neurons with the largest {@code |mu|} among the eligible ones, globally or per layer. Order:
 * {@code |mu|} descending, then layer ascending, then neuron ascending (flat index ascending), so the
 * result never depends on anything but the numbers.
 */
final class TopKSelector {
    private final double[] mu;
    private final boolean[] eligible;
    private final FlatNeuronIndex index;

    /**
     * @param mu       per flat position of {@code index}
     * @param eligible which flat positions may be picked
     */
    TopKSelector(double[] mu, boolean[] eligible, FlatNeuronIndex index) {
        this.mu = mu;
        this.eligible = eligible;
        this.index = index;
    }

    /** Comparator of flat indices: |mu| descending, then index ascending. */
    Comparator<Integer> order() {
        return (a, b) -> {
            int c = Double.compare(Math.abs(mu[b]), Math.abs(mu[a]));
            return c != 0 ? c : Integer.compare(a, b);
        };
    }

    /** The k best eligible flat indices across all layers, best first. */
    int[] global(int k) {
        List<Integer> candidates = candidates(0, index.size());
        if (candidates.size() < k) {
            throw new IllegalStateException("asked for " + k + " neurons but only " + candidates.size()
                    + " remain after excluded layers and universal neurons");
        }
        candidates.sort(order());
        return candidates.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
    }

    /** The k best eligible flat indices of every layer that has eligible neurons, best first overall. */
    int[] perLayer(int k, boolean[] excludedLayer) {
        List<Integer> picked = new ArrayList<>();
        for (int l = 0; l < index.layers(); l++) {
            if (excludedLayer[l]) continue;
            List<Integer> candidates = candidates(index.offset(l), index.offset(l) + index.width());
            if (candidates.size() < k) {
                throw new IllegalStateException("asked for " + k + " neurons per layer but layer " + l + " has only "
                        + candidates.size() + " left after removing universal neurons");
            }
            candidates.sort(order());
            picked.addAll(candidates.subList(0, k));
        }
        picked.sort(order());
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    private List<Integer> candidates(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) if (eligible[i]) out.add(i);
        return out;
    }
}
