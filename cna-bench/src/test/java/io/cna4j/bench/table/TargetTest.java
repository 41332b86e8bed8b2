package io.cna4j.bench.table;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void atMostIsMetOnlyWhenTheWholeIntervalIsBelow() {
        Target t = Target.atMost(1.03);
        assertThat(t.verdict(new Estimate(1.00, 0.02))).isEqualTo("yes");
        assertThat(t.verdict(new Estimate(1.02, 0.02))).startsWith("inconclusive");
        assertThat(t.verdict(new Estimate(1.06, 0.02))).isEqualTo("**no**");
    }

    @Test
    void atLeastIsMetOnlyWhenTheWholeIntervalIsAbove() {
        Target t = Target.atLeast(4);
        assertThat(t.verdict(new Estimate(4.5, 0.3))).isEqualTo("yes");
        assertThat(t.verdict(new Estimate(3.55, 0.31))).isEqualTo("**no**");
        assertThat(t.verdict(new Estimate(3.9, 0.2))).startsWith("inconclusive");
    }

    @Test
    void withoutAnErrorTheValueDecidesAndTheVerdictSaysSo() {
        assertThat(Target.atMost(1.1).verdict(new Estimate(1.007, Double.NaN))).isEqualTo("yes (no error estimate)");
        assertThat(Target.none().verdict(new Estimate(2.9, 0.1))).isEqualTo("—");
        assertThat(Target.atMost(1.03)).hasToString("≤ 1.03");
        assertThat(Target.atLeast(4)).hasToString("≥ 4");
    }
}
