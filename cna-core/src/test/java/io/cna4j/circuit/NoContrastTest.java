package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery refuses prompt sets without contrast unless allowed; the circuit file then marks it. */
class NoContrastTest {
    @TempDir
    Path dir;

    @Test
    void identicalSetsAreRefusedNamingTheProblem() {
        FakeModel model = Planted.model();
        List<String> same = Planted.prompts("harm", 6);
        assertThatThrownBy(() -> Circuit.discover(model).positive(same).negative(same).includeUniversal().run())
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no contrast")
                .hasMessageContaining("6 positive and 6 negative prompts").hasMessageContaining("allowNoContrast()");
    }

    @Test
    void allowedItIsMarkedInTheCircuitAndItsFile() throws IOException {
        FakeModel model = Planted.model();
        List<String> same = Planted.prompts("harm", 6);
        Circuit c = Circuit.discover(model).positive(same).negative(same).includeUniversal().allowNoContrast().run();
        assertThat(c.noContrast()).isTrue();
        Path file = dir.resolve("c.json");
        c.save(file);
        assertThat(new ObjectMapper().readTree(file.toFile()).get("noContrast").booleanValue()).isTrue();
        assertThat(Circuit.load(file).noContrast()).isTrue();
        assertThat(Circuit.load(file)).isEqualTo(c);

        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(file.toFile());
        root.put("noContrast", "yes");
        new ObjectMapper().writeValue(file.toFile(), root);
        assertThatThrownBy(() -> Circuit.load(file)).isInstanceOf(CircuitFileException.class)
                .hasMessageContaining("'noContrast' must be true or false");
    }

    @Test
    void aRealContrastIsNotFlaggedAndOldFilesReadAsFalse() throws IOException {
        FakeModel model = Planted.model();
        Circuit c = Circuit.discover(model).positive(Planted.prompts("harm", 6)).negative(Planted.prompts("safe", 6))
                .includeUniversal().run();
        assertThat(c.noContrast()).isFalse();
        Path file = dir.resolve("old.json");
        c.save(file);
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(file.toFile());
        root.remove("noContrast");
        new ObjectMapper().writeValue(file.toFile(), root);
        assertThat(Circuit.load(file)).isEqualTo(c);
    }

    @Test
    void thresholdIsRelativeToTheActivationScale() {
        boolean[] all = {true, true};
        // mean |activation| 1000: |mu| 0.5 is 5e-4 of it (no contrast), 2 is 2e-3 (a contrast)
        assertThat(CircuitDiscovery.noContrast(new double[] {0.5, 0}, new double[] {1000, 1000}, new double[] {999.5, 1000}, all)).isTrue();
        assertThat(CircuitDiscovery.noContrast(new double[] {2, 0}, new double[] {1000, 1000}, new double[] {998, 1000}, all)).isFalse();
        // the same |mu| on activations of scale 1 is a contrast
        assertThat(CircuitDiscovery.noContrast(new double[] {0.5, 0}, new double[] {1, 1}, new double[] {0.5, 1}, all)).isFalse();
        // ineligible neurons do not count
        assertThat(CircuitDiscovery.noContrast(new double[] {0, 5}, new double[] {1, 6}, new double[] {1, 1}, new boolean[] {true, false})).isTrue();
    }
}
