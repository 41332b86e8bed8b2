package io.cna4j.circuit.reduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NeuronSumsTest {

    /** Samples with magnitudes from 1e-9 to 1e5 and both signs: hard on plain double summation. */
    static List<float[]> wideSamples(int n, int width, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] s = new float[width];
            for (int j = 0; j < width; j++) {
                s[j] = (float) ((r.nextDouble() * 2 - 1) * Math.pow(10, r.nextInt(-9, 6)));
            }
            out.add(s);
        }
        return out;
    }

    static NeuronSums fill(NeuronSums sums, List<float[]> samples) {
        samples.forEach(sums::add);
        return sums;
    }

    @Test
    void vectorAndScalarAgreeBitForBit() {
        for (int width : new int[] {1, 3, 7, 8, 9, 16, 33, 1000}) {
            List<float[]> samples = wideSamples(50, width, width);
            NeuronSums v = fill(NeuronSums.vector(width), samples);
            NeuronSums s = fill(NeuronSums.scalar(width), samples);
            assertThat(v.sameSumsAs(s)).as("width %d", width).isTrue();
        }
    }

    @Test
    void meansOfKnownValues() {
        NeuronSums s = NeuronSums.vector(2);
        s.add(new float[] {1, -1});
        s.add(new float[] {2, -1});
        s.add(new float[] {3, -1});
        s.add(new float[] {4, -1});
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.mean(0)).isEqualTo(2.5);
        assertThat(s.means()).containsExactly(2.5, -1.0);
    }

    @Test
    void sumsAreExactWherePlainDoublesLoseDigits() {
        NeuronSums s = NeuronSums.vector(9);
        float[] big = new float[9];
        float[] tiny = new float[9];
        java.util.Arrays.fill(big, 1e5f);
        java.util.Arrays.fill(tiny, 1e-7f);
        s.add(big);
        for (int i = 0; i < 1000; i++) s.add(tiny);
        java.util.Arrays.fill(big, -1e5f);
        s.add(big);
        BigDecimal exact = new BigDecimal(1e-7f).multiply(BigDecimal.valueOf(1000));
        assertThat(s.sum(8)).isEqualTo(exact.doubleValue());
    }

    @Test
    void mergingHalvesEqualsOnePass() {
        List<float[]> samples = wideSamples(101, 37, 7);
        NeuronSums whole = fill(NeuronSums.vector(37), samples);
        NeuronSums a = fill(NeuronSums.vector(37), samples.subList(0, 40));
        NeuronSums b = fill(NeuronSums.scalar(37), samples.subList(40, 101));
        a.merge(b);
        assertThat(a.sameSumsAs(whole)).isTrue();
        assertThat(a.count()).isEqualTo(101);
    }

    @Test
    void resultDoesNotDependOnOrderThoughPlainSummationDoes() {
        List<float[]> samples = wideSamples(200, 24, 3);
        NeuronSums reference = fill(NeuronSums.vector(24), samples);
        double[] naiveReference = naiveSums(samples);
        SplittableRandom r = new SplittableRandom(11);
        boolean naiveDiffered = false;
        for (int round = 0; round < 10; round++) {
            List<float[]> shuffled = new ArrayList<>(samples);
            Collections.shuffle(shuffled, new java.util.Random(r.nextLong()));
            assertThat(fill(NeuronSums.vector(24), shuffled).sameSumsAs(reference)).isTrue();
            naiveDiffered |= !java.util.Arrays.equals(naiveSums(shuffled), naiveReference);
        }
        // the test data is hard enough that order matters for plain doubles
        assertThat(naiveDiffered).isTrue();
    }

    private static double[] naiveSums(List<float[]> samples) {
        double[] s = new double[samples.get(0).length];
        for (float[] x : samples) for (int j = 0; j < s.length; j++) s[j] += x[j];
        return s;
    }

    @Test
    void rejectsUnsupportedValuesWithoutAddingAnything() {
        NeuronSums s = NeuronSums.vector(3);
        s.add(new float[] {1, 2, 3});
        assertThatThrownBy(() -> s.add(new float[] {1, Float.NaN, 3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1");
        assertThatThrownBy(() -> s.add(new float[] {1, 2, Float.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 2");
        assertThatThrownBy(() -> s.add(new float[] {0x1p20f, 2, 3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 0");
        assertThatThrownBy(() -> s.add(new float[] {1, 2})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 3");
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.mean(2)).isEqualTo(3.0);
        assertThatThrownBy(() -> s.merge(NeuronSums.vector(4))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NeuronSums.vector(5).mean(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> NeuronSums.vector(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cancellationAndTinyValuesStayOrderIndependent() {
        // big values cancelling each other, interleaved with values far below the grain and near it
        List<float[]> samples = new ArrayList<>();
        float[] values = {1e5f, -1e5f, 3.0f, -2.9999998f, 1e-12f, -3e-20f, 7e-11f, 1.5e-9f, 65_536f, -65_535.996f};
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            float[] s = new float[17];
            for (int j = 0; j < s.length; j++) s[j] = values[r.nextInt(values.length)];
            samples.add(s);
        }
        NeuronSums reference = fill(NeuronSums.scalar(17), samples);
        for (int round = 0; round < 20; round++) {
            List<float[]> shuffled = new ArrayList<>(samples);
            Collections.shuffle(shuffled, new java.util.Random(round));
            NeuronSums a = fill(NeuronSums.vector(17), shuffled.subList(0, 100));
            a.merge(fill(NeuronSums.vector(17), shuffled.subList(100, 300)));
            assertThat(a.sameSumsAs(reference)).as("round %d", round).isTrue();
        }
    }
}
