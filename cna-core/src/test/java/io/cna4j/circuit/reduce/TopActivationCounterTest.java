package io.cna4j.circuit.reduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopActivationCounterTest {

    @Test
    void countsTheLargestMagnitudesWithTiesToTheLowerIndex() {
        TopActivationCounter c = new TopActivationCounter(5, 2);
        c.add(new float[] {0.1f, -9f, 3f, 8f, 0f});   // top 2: 1, 3
        c.add(new float[] {5f, 5f, 5f, -1f, 0f});     // tie at 5: 0, 1
        c.add(new float[] {0f, 7f, -7f, 7f, 0f});     // 7 three times: 1, 2
        assertThat(new int[] {c.timesInTop(0), c.timesInTop(1), c.timesInTop(2), c.timesInTop(3), c.timesInTop(4)})
                .containsExactly(1, 3, 1, 1, 0);
        assertThat(c.samples()).isEqualTo(3);
        assertThat(c.prevalentAtLeast(1.0)).containsExactly(1);
        assertThat(c.prevalentAtLeast(0.3)).containsExactly(0, 1, 2, 3);
    }

    @Test
    void mergeAddsCounts() {
        TopActivationCounter a = new TopActivationCounter(3, 1);
        TopActivationCounter b = new TopActivationCounter(3, 1);
        a.add(new float[] {1, 2, 3});
        b.add(new float[] {3, 2, 1});
        b.add(new float[] {1, 9, 1});
        a.merge(b);
        assertThat(a.samples()).isEqualTo(3);
        assertThat(a.prevalentAtLeast(0.3)).containsExactly(0, 1, 2);
        assertThat(a.prevalentAtLeast(0.4)).isEmpty();
    }

    @Test
    void prevalenceBoundaryIsInclusive() {
        // 4 of 5 samples = exactly 80 %
        TopActivationCounter c = new TopActivationCounter(2, 1);
        for (int i = 0; i < 4; i++) c.add(new float[] {9, 1});
        c.add(new float[] {1, 9});
        assertThat(c.prevalentAtLeast(0.8)).containsExactly(0);
        assertThat(c.prevalentAtLeast(0.81)).isEmpty();
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new TopActivationCounter(3, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopActivationCounter(3, 4)).isInstanceOf(IllegalArgumentException.class);
        TopActivationCounter c = new TopActivationCounter(3, 1);
        assertThatThrownBy(() -> c.prevalentAtLeast(0.5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.add(new float[] {1, Float.NaN, 2})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1");
        assertThatThrownBy(() -> c.prevalentAtLeast(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
