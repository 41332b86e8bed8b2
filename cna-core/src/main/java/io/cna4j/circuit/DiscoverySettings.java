package io.cna4j.circuit;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The settings a circuit was discovered with, as recorded in its file.
 *
 * {@snippet :
 * DiscoverySettings s = Circuit.load(Path.of("refusal.circuit.json")).settings();
 * System.out.println("k=" + s.k() + (s.perLayer() ? " per layer" : "") + ", universal filter " + s.excludeUniversal());
 * }
 *
 * @param topFraction          the fraction of all MLP neurons asked for, or null when an absolute
 *                             {@code topK} was given
 * @param k                    neurons kept: in all, or per layer when {@code perLayer}
 * @param perLayer             whether top-k was taken in each layer instead of across all layers
 * @param excludedLayers       layers left out of the selection, ascending
 * @param excludeUniversal     whether the universal-neuron filter ran
 * @param universalTopFraction the filter's "top fraction of all activations" (default 0.001)
 * @param universalPrevalence  the filter's share of prompts a neuron must be in the top on (default 0.8)
 * @param defaultUniversalPrompts whether the filter used the shipped diverse prompt set
 */
public record DiscoverySettings(
        @Nullable Double topFraction,
        int k,
        boolean perLayer,
        List<Integer> excludedLayers,
        boolean excludeUniversal,
        double universalTopFraction,
        double universalPrevalence,
        boolean defaultUniversalPrompts) {

    public DiscoverySettings {
        excludedLayers = List.copyOf(excludedLayers);
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
        if (topFraction != null && !(topFraction > 0 && topFraction <= 1)) {
            throw new IllegalArgumentException("topFraction must be in (0, 1], got " + topFraction);
        }
        if (!(universalTopFraction > 0 && universalTopFraction <= 1)) {
            throw new IllegalArgumentException("universalTopFraction must be in (0, 1], got " + universalTopFraction);
        }
        if (!(universalPrevalence > 0 && universalPrevalence <= 1)) {
            throw new IllegalArgumentException("universalPrevalence must be in (0, 1], got " + universalPrevalence);
        }
    }
}
