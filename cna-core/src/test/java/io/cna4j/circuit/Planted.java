package io.cna4j.circuit;

import java.util.SplittableRandom;

/**
 * Activations for {@link FakeModel}: small deterministic noise per (prompt, layer, neuron), plus planted
 * neurons. Prompts starting with "harm" are the positive set.
 *
 * <ul>
 *   <li>positive prompts: (3, 10) += 5, (2, 7) -= 4, (1, 100) += 3</li>
 *   <li>every prompt: (0, 0) = 100 (110 on positive prompts) and (3, 249) = 90: universal neurons, largest
 *       magnitudes on every prompt, (0, 0) also with the largest mu</li>
 * </ul>
 */
final class Planted {
    static final int LAYERS = 4;
    static final int WIDTH = 250;

    private Planted() {}

    static FakeModel model() {
        return new FakeModel(LAYERS, WIDTH, Planted::activations);
    }

    static float[][] activations(String text) {
        float[][] a = noise(text, LAYERS, WIDTH, 0.05f);
        boolean harm = text.startsWith("harm");
        if (harm) {
            a[3][10] += 5f;
            a[2][7] -= 4f;
            a[1][100] += 3f;
        }
        a[0][0] = harm ? 110f : 100f;
        a[3][249] = 90f;
        return a;
    }

    /** Values in [-scale, scale), a function of text, layer and neuron only. */
    static float[][] noise(String text, int layers, int width, float scale) {
        float[][] a = new float[layers][width];
        for (int l = 0; l < layers; l++) {
            SplittableRandom r = new SplittableRandom(text.hashCode() * 1_000_003L + l);
            for (int j = 0; j < width; j++) a[l][j] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    static java.util.List<String> prompts(String prefix, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + " prompt " + i).toList();
    }
}
