package io.cna4j.jlama;

import com.github.tjake.jlama.util.PhysicalCoreExecutor;

/**
 * The one JVM-wide choice of jlama's worker-thread count. jlama 0.8.4 runs every model's parallel work on a single
 * static pool ({@link PhysicalCoreExecutor}) that offers no per-model pool without reflection, and its count can be
 * set only before the pool first runs. So {@link JlamaOptions#threads(int)} is a request for the JVM: the first
 * load that asks sets it; a later request for the same count is accepted, and one for another count fails with a
 * message that says why, instead of silently changing the threads of models already loaded.
 *
 * {@snippet :
 * JlamaModels.load(a, JlamaOptions.defaults().threads(4));
 * JlamaModels.load(b, JlamaOptions.defaults().threads(4));   // fine: the same count
 * JlamaModels.load(c, JlamaOptions.defaults().threads(8));   // IllegalStateException naming both counts
 * }
 */
final class JlamaThreads {
    private static int requested;   // 0: nobody asked yet

    private JlamaThreads() {}

    /** Makes jlama's pool run {@code n} threads, or fails when it already runs another count; 0 asks for nothing. */
    static synchronized void request(int n) {
        if (n == 0 || n == requested) return;
        if (requested == 0) {
            try {
                PhysicalCoreExecutor.overrideThreadCount(n);
                requested = n;
                return;
            } catch (IllegalStateException started) {
                // the pool already ran (a model was used before any load asked for a count): fall through
            }
        }
        int running = PhysicalCoreExecutor.instance.get().getCoreCount();
        if (running == n) {
            requested = n;
            return;
        }
        throw new IllegalStateException("JlamaOptions.threads(" + n + "): jlama runs one thread pool per JVM, and it "
                + "already runs " + running + " threads" + (requested > 0 ? " (asked for by an earlier load)" : "")
                + "; load every model with the same thread count, or leave it at 0");
    }
}
