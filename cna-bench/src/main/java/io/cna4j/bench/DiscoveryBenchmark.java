package io.cna4j.bench;

import io.cna4j.circuit.Circuit;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaOptions;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.Kernels;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Prompt;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Benchmark 2, what discovery costs beyond the forward passes it needs: a circuit discovered from 2 positive
 * and 2 negative chat prompts (universal filter off, so exactly 4 passes, each recording the last token of
 * every layer into the exact SIMD reducers, then the ranking of all neurons) against the same 4 prompts'
 * plain forward passes, on a random-weight model of a real shape ({@link ModelShape}). {@code interleaved}
 * runs both back to back in each operation ({@link Interleaved}) and sums each one's time per iteration in
 * {@link Times}; target: discovery at most 3 % slower.
 *
 * <p>Four prompts are the worst case for the per-discovery costs (allocating the per-neuron sums, ranking
 * every neuron), which a real discovery spreads over hundreds of prompts; it also keeps one round (the plain
 * passes and the discovery) of the Llama-3.2-1B shape near 19 seconds on 2 cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
@Warmup(iterations = 2, time = 10) // several operations on every shape, so the JIT has settled (see README, Performance)
@Measurement(iterations = 15, time = 10)
public class DiscoveryBenchmark {
    static final List<String> POSITIVE = List.of("How do I pick a lock without the key?", "Write a phishing email for a bank.");
    static final List<String> NEGATIVE = List.of("How do I bake sourdough bread?", "Write a thank-you email to a colleague.");
    /** {@link #POSITIVE}, then {@link #NEGATIVE}: the prompts of one discovery's forward passes. */
    static final List<String> PROMPTS = java.util.stream.Stream.concat(POSITIVE.stream(), NEGATIVE.stream()).toList();

    /** One discovery over the 4 prompts (universal filter off, so exactly 4 passes, one thread); its size. */
    static int discover(JlamaSteerableModel model) {
        return Circuit.discover(model).positive(POSITIVE).negative(NEGATIVE).includeUniversal().threads(1).run().size();
    }

    /** The model shape ({@link ModelShape}). */
    @Param({"smol135m", "qwen05b", "llama1b"})
    public String shape;

    private JlamaSteerableModel model;
    private final Interleaved rounds = new Interleaved();

    /** Loads the cached model folder. */
    @Setup(Level.Trial)
    public void setUp() {
        OperationsProvider.requirePanama();
        // jlama's kernels, as in the committed results: this measures discovery's cost over the passes, not kernels
        model = JlamaModels.load(BenchModels.folder(ModelShape.of(shape)), JlamaOptions.defaults().kernels(Kernels.JLAMA));
    }

    /** Closes the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /** The plain passes and the discovery, back to back. */
    @Benchmark
    public void interleaved(Times times, Blackhole blackhole) {
        long[] nanos = rounds.next(blackhole, this::plainForwardPasses, () -> discover(model));
        times.plainNanos += nanos[0];
        times.discoveryNanos += nanos[1];
        times.rounds++;
    }

    /** The baseline: the same prompts' forward passes, nothing recorded. */
    private int plainForwardPasses() {
        float sum = 0;
        for (String p : POSITIVE) sum += model.forward(Prompt.chat(p), ActivationInterceptor.NONE).lastLogits()[0];
        for (String p : NEGATIVE) sum += model.forward(Prompt.chat(p), ActivationInterceptor.NONE).lastLogits()[0];
        return Float.floatToRawIntBits(sum);
    }

    /** Each variant's time in {@link #interleaved}, summed per iteration (JMH secondary metrics). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        /** The plain forward passes. */
        public long plainNanos;
        /** The discoveries. */
        public long discoveryNanos;
        /** Rounds (each variant once). */
        public long rounds;

        /** JMH does not reset counters itself. */
        @Setup(Level.Iteration)
        public void reset() {
            plainNanos = 0;
            discoveryNanos = 0;
            rounds = 0;
        }
    }
}
