package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitAnalysisTest {
    static final ModelInfo INFO = new ModelInfo("fake", "Fake", 12, 100, 8, 10, 64, "fp");

    static Circuit of(NeuronId... ids) {
        List<CircuitNeuron> n = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) n.add(new CircuitNeuron(ids[i], i + 1, 1.0 / (i + 1), 1, 0));
        return new Circuit(INFO, n, List.of(), new DiscoverySettings(null, ids.length, false, List.of(), false, 0.001, 0.8, true),
                new PromptCounts(1, 1, 0));
    }

    @Test
    void countsAndDepthShares() {
        Circuit c = of(NeuronId.of(11, 0), NeuronId.of(11, 5), NeuronId.of(10, 1), NeuronId.of(3, 2), NeuronId.of(0, 9));
        CircuitAnalysis a = c.analysis();
        assertThat(a.countsPerLayer()).containsExactly(1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 2);
        assertThat(a.size()).isEqualTo(5);
        assertThat(a.shareInLastLayers(1)).isEqualTo(0.4);
        assertThat(a.shareInLastLayers(3)).isEqualTo(0.6);
        assertThat(a.shareInLastLayers(12)).isEqualTo(1.0);
        // 10 % of 12 layers, rounded up: the last 2 layers
        assertThat(a.lastTenthLayerCount()).isEqualTo(2);
        assertThat(a.shareInLastTenthOfLayers()).isEqualTo(0.6);
        assertThatThrownBy(() -> a.shareInLastLayers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.shareInLastLayers(13)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlapOfTwoCircuits() {
        Circuit a = of(NeuronId.of(1, 1), NeuronId.of(2, 2), NeuronId.of(3, 3), NeuronId.of(4, 4));
        Circuit b = of(NeuronId.of(2, 2), NeuronId.of(4, 4), NeuronId.of(5, 5));
        CircuitOverlap o = CircuitOverlap.of(a, b);
        assertThat(o.shared()).isEqualTo(2);
        assertThat(o.shareOfFirst()).isEqualTo(0.5);
        assertThat(o.shareOfSecond()).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(o.jaccard()).isEqualTo(0.4);
        assertThat(CircuitOverlap.of(a, a).jaccard()).isEqualTo(1.0);
    }

    @Test
    void circuitRejectsNeuronsOutsideTheModelAndDuplicates() {
        assertThatThrownBy(() -> of(NeuronId.of(12, 0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside fake");
        assertThatThrownBy(() -> of(NeuronId.of(1, 1), NeuronId.of(1, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }
}
