package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class UniversalPromptsTest {
    @Test
    void shipsAtLeastSixtyDistinctPromptsInSeveralLanguages() {
        var prompts = UniversalPrompts.defaults();
        assertThat(prompts).hasSizeGreaterThanOrEqualTo(60).doesNotHaveDuplicates().noneMatch(String::isBlank)
                .noneMatch(p -> p.startsWith("#"));
        assertThat(new HashSet<>(prompts)).hasSameSizeAs(prompts);
        assertThat(prompts).anyMatch(p -> p.contains("¿")).anyMatch(p -> p.matches(".*[\\u3040-\\u30ff].*"))
                .anyMatch(p -> p.matches(".*[\\u0400-\\u04ff].*"));
    }
}
