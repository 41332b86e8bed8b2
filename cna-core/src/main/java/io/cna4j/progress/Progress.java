package io.cna4j.progress;

import java.time.Duration;

/**
 * A snapshot of long work: which stage, how many units are done out of how many, and since when.
 *
 * {@snippet :
 * ProgressListener bar = p -> System.out.printf("%s %d/%d (%.1f/s, %s left)%n",
 *         p.stage(), p.done(), p.total(), p.ratePerSecond(), p.remaining());
 * }
 *
 * @param stage        what is being done, e.g. {@code "positive prompts"}
 * @param done         units finished in this stage
 * @param total        units in this stage
 * @param elapsedNanos time since the stage started
 */
public record Progress(String stage, long done, long total, long elapsedNanos) {

    /** Units per second so far; 0 before the first unit. */
    public double ratePerSecond() {
        return done == 0 || elapsedNanos <= 0 ? 0 : done * 1e9 / elapsedNanos;
    }

    /** Estimated time left at the current rate; {@link Duration#ZERO} when done or unknown. */
    public Duration remaining() {
        if (done == 0 || done >= total) return Duration.ZERO;
        return Duration.ofNanos((long) ((double) elapsedNanos / done * (total - done)));
    }

    /** Fraction done, in [0, 1]. */
    public double fraction() {
        return total == 0 ? 1 : Math.min(1.0, (double) done / total);
    }
}
