package io.cna4j.circuit;

import io.cna4j.circuit.reduce.NeuronSums;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.progress.ProgressTracker;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Exact sums of last-prompt-token activations over a prompt set, computed by the runner circuit discovery
 * uses (same recorder, same sharding over threads, same {@link NeuronSums}); the means are therefore
 * bit-identical whatever the prompt order, thread count or executor. Baselines such as CAA use it so that
 * they are as reproducible as the circuits they are compared with.
 *
 * {@snippet :
 * ProgressTracker tracker = new ProgressTracker("caa", harmful.size(), ProgressListener.NONE);
 * NeuronSums sums = LastTokenSums.mlpOutputs(model, harmful, 2, null, tracker);
 * FlatNeuronIndex index = FlatNeuronIndex.mlpOutputs(model.info());
 * double meanOfLayer3Unit7 = sums.mean(index.flat(3, 7));
 * }
 */
public final class LastTokenSums {
    private LastTokenSums() {}

    /**
     * Sums each layer's MLP output ({@code blocks.L.hook_mlp_out}, the down projection's output, width = hidden
     * size) at the last prompt token over {@code prompts}; laid out by {@link FlatNeuronIndex#mlpOutputs}.
     *
     * @param threads  shares the prompts are split into, >= 1; the sums do not depend on it
     * @param executor runs the shares; null: the calling thread for one share, else a pool created and shut
     *                 down within this call (a given executor is never shut down)
     * @param tracker  stepped once per prompt
     * @throws IllegalStateException if the model reports an out-of-range value or misses a layer (the message
     *         names the prompt)
     * @throws io.cna4j.model.NonFiniteActivationException if the model produced a NaN or infinite value
     */
    public static NeuronSums mlpOutputs(SteerableModel model, List<Prompt> prompts, int threads,
            @Nullable Executor executor, ProgressTracker tracker) {
        return collect(model, prompts, threads, executor, tracker, LastTokenRecorder.Site.MLP_OUTPUT, "MLP output");
    }

    /**
     * Sums each layer's MLP activations ({@code blocks.L.mlp.hook_post}, what circuits are made of) at the
     * last prompt token over {@code prompts}; laid out by {@link FlatNeuronIndex#mlpNeurons}. Parameters as
     * {@link #mlpOutputs}.
     */
    public static NeuronSums mlpActivations(SteerableModel model, List<Prompt> prompts, int threads,
            @Nullable Executor executor, ProgressTracker tracker) {
        return collect(model, prompts, threads, executor, tracker, LastTokenRecorder.Site.MLP_ACTIVATION, "MLP activation");
    }

    private static NeuronSums collect(SteerableModel model, List<Prompt> prompts, int threads, @Nullable Executor executor,
            ProgressTracker tracker, LastTokenRecorder.Site site, String stage) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tracker, "tracker");
        List<Prompt> copy = List.copyOf(prompts);
        int width = site.index(model.info()).size();
        try (PromptRunner runner = new PromptRunner(model, threads, executor, site)) {
            return runner.reduce(stage, copy, tracker, () -> NeuronSums.vector(width), NeuronSums::add, NeuronSums::merge);
        }
    }
}
