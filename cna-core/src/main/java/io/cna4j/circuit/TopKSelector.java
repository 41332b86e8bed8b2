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
    private final int layers;
    private final int width;

    /**
     * @param mu       per flat index {@code layer * width + neuron}
     * @param eligible which flat indices may be picked
     */
    TopKSelector(double[] mu, boolean[] eligible, int layers, int width) {
        this.mu = mu;
        this.eligible = eligible;
        this.layers = layers;
        this.width = width;
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
        List<Integer> candidates = candidates(0, layers * width);
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
        for (int l = 0; l < layers; l++) {
            if (excludedLayer[l]) continue;
            List<Integer> candidates = candidates(l * width, (l + 1) * width);
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
