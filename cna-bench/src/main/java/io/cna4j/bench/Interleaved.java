package io.cna4j.bench;

import java.util.function.IntSupplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The paired design behind targets 1 to 3: one JMH operation runs every variant of a comparison (the
 * baseline and its candidates) once, back to back, and times each; the order changes from round to round so
 * that every variant runs first, last and in between equally often (all n rotations, forwards and backwards).
 *
 * <p>Why: on a 2-core machine the speed of a forward pass drifts by several percent over minutes (other
 * processes, frequency, the page cache), which separate JMH benchmarks, run one after the other, turn into
 * errors of 5 to 20 % on their ratio. Variants that alternate within seconds see the same drift, so the
 * ratio of their times in one iteration cancels it; the spread of those per-iteration ratios is the error
 * left ({@code make-table}).
 *
 * {@snippet :
 * long[] nanos = rounds.next(blackhole, () -> stock.forward(tokens), () -> model.forward(p, NONE).argmax());
 * times.stockNanos += nanos[0];
 * times.candidateNanos += nanos[1];
 * }
 */
final class Interleaved {
    private long round;

    /**
     * Runs each variant once, in this round's order, and returns their times in nanoseconds in the order the
     * variants were given. Each variant's result goes to {@code blackhole}.
     */
    long[] next(Blackhole blackhole, IntSupplier... variants) {
        int n = variants.length;
        long[] nanos = new long[n];
        int k = (int) (round++ % (2L * n));
        int first = k % n;
        boolean backwards = k >= n;
        for (int i = 0; i < n; i++) {
            int v = backwards ? Math.floorMod(first - i, n) : (first + i) % n;
            long start = System.nanoTime();
            blackhole.consume(variants[v].getAsInt());
            nanos[v] = System.nanoTime() - start;
        }
        return nanos;
    }
}
