package io.cna4j.bench.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EstimateTest {

    @Test
    void ratioCombinesRelativeErrorsInQuadrature() {
        Estimate r = new Estimate(103, 3).over(new Estimate(100, 4));
        assertThat(r.value()).isCloseTo(1.03, within(1e-12));
        assertThat(r.error()).isCloseTo(1.03 * Math.hypot(3 / 103.0, 0.04), within(1e-12));
    }

    @Test
    void inverseKeepsTheRelativeError() {
        Estimate i = new Estimate(4, 0.2).inverse();
        assertThat(i.value()).isEqualTo(0.25);
        assertThat(i.relativeError()).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void samplesGiveJmhsStudentTError() {
        Estimate e = Estimate.ofSamples(List.of(10.0, 12.0, 11.0, 13.0));
        assertThat(e.value()).isEqualTo(11.5);
        // t(0.9995, 3) = 12.924, sd = 1.291, n = 4
        assertThat(e.error()).isCloseTo(12.924 * 1.2910 / 2, within(0.01));
        assertThat(Estimate.ofSamples(List.of(5.0, 6.0)).hasError()).isFalse();
    }

    @Test
    void formatsWithThreeSignificantDigits() {
        assertThat(new Estimate(612.34, 5.1).format()).isEqualTo("612 ± 5");
        assertThat(new Estimate(1.0312, 0.0123).format(3)).isEqualTo("1.031 ± 0.012");
        assertThat(new Estimate(57.44, Double.NaN).format()).isEqualTo("57.4");
    }
}
