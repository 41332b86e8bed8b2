package io.cna4j.eval.kl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KlDivergenceTest {

    @Test
    void twoTokensByHand() {
        // p = softmax(0, 0) = (1/2, 1/2); q = softmax(1, 0) = (e/(e+1), 1/(e+1))
        // KL = 1/2 ln((1/2)(e+1)/e) + 1/2 ln((1/2)(e+1)) = ln((e+1)/2) - 1/2
        double expected = Math.log((Math.E + 1) / 2) - 0.5;
        assertThat(KlDivergence.between(new float[] {0, 0}, new float[] {1, 0})).isCloseTo(expected, within(1e-15));
        assertThat(expected).isCloseTo(0.1201145, within(1e-7));
    }

    @Test
    void threeTokensByHandAndAsymmetry() {
        // p = softmax(ln 1, ln 2, ln 1) = (1/4, 1/2, 1/4); q = uniform (1/3 each)
        // KL(p||q) = 1/4 ln(3/4) + 1/2 ln(3/2) + 1/4 ln(3/4) = ln 3 - 3/2 ln 2 = 0.0588915...
        // KL(q||p) = 1/3 (ln(4/3) + ln(2/3) + ln(4/3)) = 1/3 ln(32/27) = 0.0566330...
        float ln2 = (float) Math.log(2);
        float[] p = {0, ln2, 0};
        float[] q = {5, 5, 5};
        double exact = (double) ln2; // the float ln 2 the logits hold
        double pm = Math.exp(exact) / (2 + Math.exp(exact));
        double po = 1 / (2 + Math.exp(exact));
        double expected = 2 * po * Math.log(3 * po) + pm * Math.log(3 * pm);
        assertThat(KlDivergence.between(p, q)).isCloseTo(expected, within(1e-15)).isCloseTo(0.0588915, within(1e-6));
        assertThat(KlDivergence.between(q, p)).isCloseTo(Math.log(32.0 / 27) / 3, within(1e-7));
    }

    @Test
    void klOfADistributionWithItselfIsExactlyZero() {
        Random r = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            float[] x = new float[1000 + trial];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 30);
            assertThat(KlDivergence.between(x, x.clone())).isEqualTo(0.0);
        }
    }

    @Test
    void largeLogitsDoNotOverflowAndShiftsDoNotMatter() {
        float[] big = {1000, 1001, 999};
        float[] small = {0, 1, -1};
        assertThat(KlDivergence.between(big, small)).isCloseTo(0, within(1e-12));
        double kl = KlDivergence.between(new float[] {80_000, 0}, new float[] {0, 80_000});
        assertThat(kl).isFinite().isCloseTo(80_000, within(1e-6));
        double[] ls = KlDivergence.logSoftmax(big, "big");
        assertThat(Math.exp(ls[0]) + Math.exp(ls[1]) + Math.exp(ls[2])).isCloseTo(1, within(1e-14));
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> KlDivergence.between(new float[] {0, Float.NaN}, new float[] {0, 0}))
                .hasMessageContaining("logit vector p").hasMessageContaining("index 1");
        assertThatThrownBy(() -> KlDivergence.between(new float[] {0, 0}, new float[] {Float.POSITIVE_INFINITY, 0}))
                .hasMessageContaining("logit vector q");
        assertThatThrownBy(() -> KlDivergence.between(new float[] {0}, new float[] {0, 0})).hasMessageContaining("1 vs 2");
        assertThatThrownBy(() -> KlDivergence.between(new float[0], new float[0])).hasMessageContaining("empty");
    }
}
