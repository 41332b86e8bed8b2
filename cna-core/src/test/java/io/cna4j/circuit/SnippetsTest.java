package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnippetsTest {
    @Test
    void modelInfoCountsEveryMlpNeuron() {
        assertThat(Snippets.modelInfo(new FakeModel(3, 7, text -> new float[3][7]))).isEqualTo(21L);
    }
}
