package io.cna4j.progress;

/**
 * Receives {@link Progress} after each unit of long work (a prompt, a sweep setting, an MMLU row).
 * Called on the working thread: keep it quick.
 *
 * {@snippet :
 * Circuit.discover(model).positive(harmful).negative(benign)
 *         .onProgress(p -> System.out.println(p.stage() + " " + p.done() + "/" + p.total()))
 *         .run();
 * }
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = p -> {};

    /** Called after each unit of work. */
    void onProgress(Progress progress);
}
