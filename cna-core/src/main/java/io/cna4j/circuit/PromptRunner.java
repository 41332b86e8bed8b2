package io.cna4j.circuit;

import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.progress.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs prompt sets through the model in {@code threads} shares: each share records its contiguous part of
 * the prompts into its own accumulator, and the accumulators are merged at the end. The accumulators'
 * arithmetic is order-independent, so the result does not depend on the number of shares.
 *
 * <p>Shares run on the caller's executor when one is given (never shut down here), otherwise on one pool
 * of {@code threads} daemon threads that this runner creates on first need and shuts down in
 * {@link #close()}; with one share everything runs on the calling thread.
 */
final class PromptRunner implements AutoCloseable {
    private final SteerableModel model;
    private final ModelInfo info;
    private final int threads;
    private final LastTokenRecorder.Site site;
    private final @Nullable Executor given;
    private @Nullable ExecutorService own;

    PromptRunner(SteerableModel model, int threads, @Nullable Executor executor, LastTokenRecorder.Site site) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.model = model;
        this.info = model.info();
        this.threads = threads;
        this.given = executor;
        this.site = site;
    }

    /**
     * Reduces the last-token activations of {@code prompts} with accumulators from {@code create}.
     *
     * @param stage names the prompts in error messages
     */
    <A> A reduce(String stage, List<Prompt> prompts, ProgressTracker tracker, Supplier<A> create,
            BiConsumer<A, float[]> add, BiConsumer<A, A> merge) {
        int parts = Math.max(1, Math.min(threads, prompts.size()));
        AtomicBoolean abort = new AtomicBoolean();
        if (parts == 1) return share(stage, prompts, 0, prompts.size(), create, add, tracker, abort);
        Executor executor = executor();
        List<CompletableFuture<A>> futures = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) prompts.size() * p / parts);
            int to = (int) ((long) prompts.size() * (p + 1) / parts);
            futures.add(CompletableFuture.supplyAsync(() -> share(stage, prompts, from, to, create, add, tracker, abort),
                    executor));
        }
        @Nullable A total = null;
        for (CompletableFuture<A> f : futures) {
            A part = await(f, abort);
            if (total == null) total = part;
            else merge.accept(total, part);
        }
        return total;
    }

    private Executor executor() {
        if (given != null) return given;
        if (own == null) {
            own = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "cna4j-discovery");
                t.setDaemon(true);
                return t;
            });
        }
        return own;
    }

    private <A> A share(String stage, List<Prompt> prompts, int from, int to, Supplier<A> create,
            BiConsumer<A, float[]> add, ProgressTracker tracker, AtomicBoolean abort) {
        LastTokenRecorder recorder = new LastTokenRecorder(info, site);
        A acc = create.get();
        for (int i = from; i < to && !abort.get(); i++) {
            add.accept(acc, recorder.record(model, prompts.get(i), stage + " prompt #" + i));
            tracker.step();
        }
        return acc;
    }

    private static <A> A await(CompletableFuture<A> f, AtomicBoolean abort) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            abort.set(true);   // the other shares stop after their current prompt
            Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            abort.set(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("prompt collection was interrupted", e);
        }
    }

    /** Shuts down the pool this runner created, if any; a caller's executor is left alone. */
    @Override
    public void close() {
        if (own != null) own.shutdownNow();
    }
}
