package io.cna4j.progress;

import java.util.Objects;

/**
 * Counts the units of one stage and tells a {@link ProgressListener} after each: the piece that long-running
 * loops use so that each does not time itself.
 *
 * {@snippet :
 * ProgressTracker t = new ProgressTracker("prompts", prompts.size(), listener);
 * for (Prompt p : prompts) {
 *     run(p);
 *     t.step();
 * }
 * }
 */
public final class ProgressTracker {
    private final String stage;
    private final long total;
    private final ProgressListener listener;
    private final long start = System.nanoTime();
    private long done;

    public ProgressTracker(String stage, long total, ProgressListener listener) {
        this.stage = Objects.requireNonNull(stage, "stage");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (total < 0) throw new IllegalArgumentException("total must be >= 0, got " + total);
        this.total = total;
    }

    /** Records one finished unit and notifies the listener. Safe to call from several threads. */
    public synchronized void step() {
        done++;
        listener.onProgress(new Progress(stage, done, total, System.nanoTime() - start));
    }
}
