package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prefixes of one ranking (the tuner's circuit sizes) and the optional recommended multiplier in circuit files. */
class CircuitPrefixTest {
    private final FakeModel model = Planted.model();
    private final List<String> harmful = Planted.prompts("harm", 12);
    private final List<String> benign = Planted.prompts("okay", 9);

    @TempDir
    Path dir;

    @Test
    void aPrefixOfTheRankingEqualsDiscoveringTopKBitForBit() {
        Circuit ranking = Circuit.discover(model).positive(harmful).negative(benign).topK(40).run();
        for (int k : new int[] {1, 2, 3, 7, 19, 40}) {
            Circuit direct = Circuit.discover(model).positive(harmful).negative(benign).topK(k).run();
            Circuit prefix = ranking.prefix(k);
            assertThat(prefix).as("k=%d", k).isEqualTo(direct);
            for (int i = 0; i < k; i++) {
                CircuitNeuron a = prefix.neurons().get(i);
                CircuitNeuron b = direct.neurons().get(i);
                assertThat(Double.doubleToRawLongBits(a.mu())).isEqualTo(Double.doubleToRawLongBits(b.mu()));
                assertThat(Double.doubleToRawLongBits(a.meanPositive())).isEqualTo(Double.doubleToRawLongBits(b.meanPositive()));
            }
        }
    }

    @Test
    void aPrefixOfAFractionCircuitEqualsTopKToo() {
        Circuit ranking = Circuit.discover(model).positive(harmful).negative(benign).topFraction(0.01).excludeLayers(0).run();
        Circuit direct = Circuit.discover(model).positive(harmful).negative(benign).topK(3).excludeLayers(0).run();
        assertThat(ranking.prefix(3)).isEqualTo(direct);
    }

    @Test
    void prefixRefusesBadSizesAndPerLayerCircuits() {
        Circuit ranking = Circuit.discover(model).positive(harmful).negative(benign).topK(5).run();
        assertThatThrownBy(() -> ranking.prefix(0)).hasMessageContaining("[1, 5]");
        assertThatThrownBy(() -> ranking.prefix(6)).hasMessageContaining("got 6");
        Circuit perLayer = Circuit.discover(model).positive(harmful).negative(benign).topK(2).perLayer().run();
        assertThatThrownBy(() -> perLayer.prefix(2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("per-layer");
    }

    @Test
    void aRecommendationRoundTripsAndOldFilesStillLoad() throws IOException {
        Circuit plain = Circuit.discover(model).positive(harmful).negative(benign).topK(4).run();
        Path old = dir.resolve("old.json");
        plain.save(old);
        assertThat(Files.readString(old)).doesNotContain("recommended");
        assertThat(Circuit.load(old).recommendation()).isEmpty();

        RecommendedSetting r = new RecommendedSetting(0.25, 0.05, 0.0123, 0.98, null, "lowest KL with refusal <= 5 %");
        Circuit tuned = plain.withRecommendation(r);
        tuned.save(dir.resolve("tuned.json"));
        Circuit back = Circuit.load(dir.resolve("tuned.json"));
        assertThat(back).isEqualTo(tuned).isNotEqualTo(plain);
        assertThat(back.recommendation()).contains(r);
        assertThat(tuned.prefix(2).recommendation()).isEmpty();

        RecommendedSetting withMmlu = new RecommendedSetting(-0.5, 0, 0.5, 1, 0.4, "x");
        plain.withRecommendation(withMmlu).save(dir.resolve("mmlu.json"));
        assertThat(Circuit.load(dir.resolve("mmlu.json")).recommendation()).contains(withMmlu);
    }

    @Test
    void aDamagedRecommendationNamesTheFileAndField() throws IOException {
        Circuit plain = Circuit.discover(model).positive(harmful).negative(benign).topK(4).run();
        plain.withRecommendation(new RecommendedSetting(0, 0, 0, 1, null, "r")).save(dir.resolve("c.json"));
        Path file = dir.resolve("c.json");
        Files.writeString(file, Files.readString(file).replace("\"klDivergence\" : 0.0", "\"klDivergence\" : \"low\""));
        assertThatThrownBy(() -> Circuit.load(file)).isInstanceOf(CircuitFileException.class)
                .hasMessageContaining("c.json").hasMessageContaining("klDivergence");
        assertThatThrownBy(() -> new RecommendedSetting(Double.NaN, 0, 0, 1, null, "r")).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new RecommendedSetting(1, 1.5, 0, 1, null, "r")).hasMessageContaining("behaviourRate");
    }
}
