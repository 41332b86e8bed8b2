package io.cna4j.jlama;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Logits once the JIT has settled. jlama's pure-Java kernels sum vector lanes with {@code reduceLanes(ADD)},
 * whose order differs between the interpreted fallback and the compiled intrinsic, so the first calls of a
 * fresh JVM round differently from later ones. Bit-for-bit comparisons therefore compare settled results.
 */
final class Stable {
    private Stable() {}

    private static final int MIN_CALLS = 8, AGREEING = 4, MAX_CALLS = 60;

    /**
     * Calls {@code run} at least {@value #MIN_CALLS} times and until the last {@value #AGREEING} calls agree bit
     * for bit; returns that result.
     */
    static float[] logits(Supplier<float[]> run) {
        float[] prev = run.get();
        int agreeing = 1;
        for (int i = 1; i < MAX_CALLS; i++) {
            float[] next = run.get();
            agreeing = Arrays.equals(prev, next) ? agreeing + 1 : 1;
            prev = next;
            if (agreeing >= AGREEING && i + 1 >= MIN_CALLS) return next;
        }
        throw new AssertionError("logits still change after " + MAX_CALLS + " identical calls: the computation is not deterministic");
    }

    /**
     * Asserts that {@code a} and {@code b} give bit-identical logits once both run in the same JIT state: calls
     * them in turn, at most {@value #MAX_CALLS} rounds, until one round agrees. Code that differs in substance
     * never agrees; code that differs only in when a kernel was compiled agrees within a few rounds.
     */
    static void assertAgree(Supplier<float[]> a, Supplier<float[]> b) {
        float[] x = null, y = null;
        for (int i = 0; i < MAX_CALLS; i++) {
            x = a.get();
            y = b.get();
            if (Arrays.equals(x, y)) return;
        }
        ParityTest.assertBitIdentical(x, y);
    }
}
