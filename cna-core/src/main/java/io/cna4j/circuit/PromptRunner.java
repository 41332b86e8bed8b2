package io.cna4j.circuit;

import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.progress.ProgressListener;
import io.cna4j.progress.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs prompt sets through the model on a number of threads: each thread records its contiguous share of
 * the prompts into its own accumulator, and the accumulators are merged at the end. The accumulators'
 * arithmetic is order-independent, so the result does not depend on the thread count.
 */
final class PromptRunner {
    private final SteerableModel model;
    private final ModelInfo info;
    private final int threads;
    private final ProgressListener listener;

    PromptRunner(SteerableModel model, int threads, ProgressListener listener) {
        this.model = model;
        this.info = model.info();
        this.threads = threads;
        this.listener = listener;
    }

    /**
     * Reduces the last-token activations of {@code prompts} with accumulators from {@code create}.
     *
     * @param stage the progress stage and the prompts' name in error messages
     */
    <A> A reduce(String stage, List<Prompt> prompts, Supplier<A> create, BiConsumer<A, float[]> add,
            BiConsumer<A, A> merge) {
        ProgressTracker tracker = new ProgressTracker(stage, prompts.size(), listener);
        int parts = Math.max(1, Math.min(threads, prompts.size()));
        if (parts == 1) return share(stage, prompts, 0, prompts.size(), create, add, tracker);
        ExecutorService pool = Executors.newFixedThreadPool(parts, r -> {
            Thread t = new Thread(r, "cna4j-discovery");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<A>> futures = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                int from = (int) ((long) prompts.size() * p / parts);
                int to = (int) ((long) prompts.size() * (p + 1) / parts);
                futures.add(pool.submit(() -> share(stage, prompts, from, to, create, add, tracker)));
            }
            @org.jspecify.annotations.Nullable A total = null;
            for (Future<A> f : futures) {
                A part = await(f, futures);
                if (total == null) total = part;
                else merge.accept(total, part);
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private <A> A share(String stage, List<Prompt> prompts, int from, int to, Supplier<A> create,
            BiConsumer<A, float[]> add, ProgressTracker tracker) {
        LastTokenRecorder recorder = new LastTokenRecorder(info);
        A acc = create.get();
        for (int i = from; i < to; i++) {
            add.accept(acc, recorder.record(model, prompts.get(i), stage + " prompt #" + i));
            tracker.step();
        }
        return acc;
    }

    private static <A> A await(Future<A> f, List<? extends Future<?>> all) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            all.forEach(o -> o.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            all.forEach(o -> o.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("circuit discovery was interrupted", e);
        }
    }
}
