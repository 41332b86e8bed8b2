package io.cna4j.bench.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeSectionTest {

    @Test
    void replacesOnlyTheTextBetweenTheMarkers(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# Title\nbefore\n" + ReadmeSection.START + "\nold table\n" + ReadmeSection.END + "\nafter\n");
        assertThat(ReadmeSection.rewrite(readme, "| new |")).isTrue();
        assertThat(Files.readString(readme))
                .isEqualTo("# Title\nbefore\n" + ReadmeSection.START + "\n| new |\n" + ReadmeSection.END + "\nafter\n");
        assertThat(ReadmeSection.rewrite(readme, "| new |")).isFalse();
    }

    @Test
    void missingMarkersAreAnErrorNamingThem() {
        assertThatThrownBy(() -> ReadmeSection.replace("no markers here", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("performance-table:start");
    }
}
