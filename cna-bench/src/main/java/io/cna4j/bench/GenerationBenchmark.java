package io.cna4j.bench;

import io.cna4j.circuit.Steering;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
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
 * Benchmark 3, what steering costs in generation: greedy generation of {@value #TOKENS} tokens
 * (end-of-sequence ignored) after the ~40-token chat prompt of {@link ForwardPassBenchmark}, on a
 * random-weight model of a real shape, in three ways:
 * <ul>
 *   <li>stock jlama, the baseline: jlama's own model ({@link StockJlama#generate});</li>
 *   <li>cna4j's model ablating ({@code m = 0}) 0.1 % of all MLP neurons, the size of a default circuit, at
 *       every position;</li>
 *   <li>cna4j's model multiplying 1 % of all MLP neurons by {@code m = 0.5}.</li>
 * </ul>
 * The neurons are drawn at random from a fixed seed ({@link RandomNeurons}) and steered with
 * {@link Steering#scale}, as {@code Circuit.steer} does. {@code interleaved} runs the three back to back in
 * each operation ({@link Interleaved}) and sums each one's time of a whole generation (prefill + decoding)
 * per iteration in {@link Times}; tokens/s = {@value #TOKENS} / time, and the target (steered at most 2 %
 * fewer tokens/s) is judged on the ratios of those sums. {@code stockJlama} times the baseline alone and
 * records its decoding phase in {@link DecodeCounters} (decode tokens/s and GB/s of weights read), for the
 * throughput table and as the pure-Java side of {@link NativeOperationsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 15, time = 10)
public class GenerationBenchmark {
    /** Tokens generated per operation. */
    static final int TOKENS = 64;

    /** The model shape ({@link ModelShape}). */
    @Param({"smol135m", "qwen05b", "llama1b"})
    public String shape;

    private ModelPair models;
    private Intervention ablateTenthPercent;
    private Intervention halveOnePercent;
    private long bytesPerToken;
    private final Interleaved rounds = new Interleaved();
    private final Prompt prompt = Prompt.chat(ForwardPassBenchmark.QUESTION);
    private final GenerationOptions options = GenerationOptions.greedy(TOKENS).ignoringEos();

    /** Loads both models and draws the steered neurons. */
    @Setup(Level.Trial)
    public void setUp() {
        models = ModelPair.load(shape, ForwardPassBenchmark.QUESTION);
        ModelInfo info = models.intercepted().info();
        var tenth = RandomNeurons.draw(info, 0.001, 61);
        var one = RandomNeurons.draw(info, 0.01, 62);
        ablateTenthPercent = Steering.scale(tenth, 0f);
        halveOnePercent = Steering.scale(one, 0.5f);
        bytesPerToken = ModelCost.of(models.folder(), 2).decodeWeightBytes();
        System.out.printf("# %s: steering %d and %d of %d neurons; %.2f GB of weights per decoded token%n",
                shape, tenth.size(), one.size(), info.totalNeurons(), bytesPerToken / 1e9);
    }

    /** Closes both models. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        models.close();
    }

    /** The baseline alone, with its decoding phase (throughput table, and the pure-Java side of benchmark 6). */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
    @Warmup(iterations = 1, time = 15)
    @Measurement(iterations = 4, time = 15)
    public int stockJlama(DecodeCounters counters) {
        StockJlama.Greedy g = models.stock().generate(models.tokens(), TOKENS);
        counters.add(g.decodeNanos(), TOKENS - 1, bytesPerToken);
        return g.tokens()[TOKENS - 1];
    }

    /** Stock jlama, m = 0 on 0.1 % and m = 0.5 on 1 % of the neurons, back to back. */
    @Benchmark
    public void interleaved(Times times, Blackhole blackhole) {
        long[] nanos = rounds.next(blackhole,
                () -> models.stock().generate(models.tokens(), TOKENS).tokens()[TOKENS - 1],
                () -> generate(ablateTenthPercent),
                () -> generate(halveOnePercent));
        times.stockNanos += nanos[0];
        times.ablate0p1PercentNanos += nanos[1];
        times.halve1PercentNanos += nanos[2];
        times.rounds++;
    }

    private int generate(Intervention steering) {
        Generation g = models.intercepted().generate(prompt, options, steering);
        if (g.tokens().length != TOKENS) throw new IllegalStateException("generated " + g.tokens().length + " tokens");
        return g.tokens()[TOKENS - 1];
    }

    /** Each variant's time in {@link #interleaved}, summed per iteration (JMH secondary metrics). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        /** Stock jlama's generations. */
        public long stockNanos;
        /** Generations with m = 0 on 0.1 % of the neurons. */
        public long ablate0p1PercentNanos;
        /** Generations with m = 0.5 on 1 % of the neurons. */
        public long halve1PercentNanos;
        /** Rounds (each variant once). */
        public long rounds;

        /** JMH does not reset counters itself. */
        @Setup(Level.Iteration)
        public void reset() {
            stockNanos = 0;
            ablate0p1PercentNanos = 0;
            halve1PercentNanos = 0;
            rounds = 0;
        }
    }
}
