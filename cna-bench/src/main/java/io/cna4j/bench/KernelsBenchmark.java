package io.cna4j.bench;

import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaOptions;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.Kernels;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.util.Arrays;
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
 * Benchmark 7, cna4j's own kernels ({@link Kernels#CNA4J}) against stock jlama, interleaved in one operation
 * ({@link Interleaved}) on a random-weight BF16 model of a real shape: stock jlama, cna4j's model on jlama's
 * kernels ({@link Kernels#JLAMA}) and cna4j's model on its own kernels, back to back.
 * <ul>
 *   <li>{@code prefill}: the ~40-token chat prompt of {@link ForwardPassBenchmark} (prefill and the last
 *       position's greedy token);</li>
 *   <li>{@code decode}: greedy generation of {@value #TOKENS} tokens after that prompt, as {@link GenerationBenchmark};</li>
 *   <li>{@code discovery}: a circuit discovered from {@link DiscoveryBenchmark}'s 2 positive and 2 negative prompts
 *       (record and reduce every layer's last token, then rank), on either kernel set; stock jlama has no
 *       discovery, so its side is the same 4 prompts' plain forward passes, the least a discovery on it costs.</li>
 * </ul>
 * The ratios come from the per-iteration sums in {@link Times} ({@code make-table}); GFLOP/s and GB/s from those sums
 * and {@link ModelCost}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 6, time = 10)
public class KernelsBenchmark {
    /** Tokens generated per decode operation. */
    static final int TOKENS = 64;

    /** The model shape ({@link ModelShape}). */
    @Param({"smol135m", "qwen05b", "llama1b"})
    public String shape;

    private ModelPair models;
    private JlamaSteerableModel own;
    private int[][] discoveryTokens;
    private final Interleaved rounds = new Interleaved();
    private final Prompt prompt = Prompt.chat(ForwardPassBenchmark.QUESTION);

    /** Loads stock jlama and cna4j's model on either kernel set from the same folder; checks they agree. */
    @Setup(Level.Trial)
    public void setUp() {
        models = ModelPair.load(shape, ForwardPassBenchmark.QUESTION);
        own = JlamaModels.load(models.folder(), JlamaOptions.defaults().kernels(Kernels.CNA4J));
        if (!Arrays.equals(own.tokenize(prompt), models.tokens())) throw new IllegalStateException("tokens differ");
        discoveryTokens = DiscoveryBenchmark.PROMPTS.stream().map(q -> own.tokenize(Prompt.chat(q))).toArray(int[][]::new);
        long flop = ModelCost.of(models.folder(), 2).prefillFlop(models.promptLength());
        long bytes = ModelCost.of(models.folder(), 2).decodeWeightBytes();
        System.out.printf("# %s: prompt of %d tokens, %.2f GFLOP per prefill, %.2f GB of weights per decoded token%n",
                shape, models.promptLength(), flop / 1e9, bytes / 1e9);
    }

    /** Closes the three models. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        models.close();
        own.close();
    }

    /** Prefill: stock jlama, cna4j on jlama's kernels, cna4j on its own, back to back. */
    @Benchmark
    public void prefill(Times times, Blackhole blackhole) {
        long[] nanos = rounds.next(blackhole,
                () -> models.stock().forward(models.tokens()),
                () -> models.intercepted().forward(prompt, ActivationInterceptor.NONE).argmax(),
                () -> own.forward(prompt, ActivationInterceptor.NONE).argmax());
        times.add(nanos);
    }

    /** Greedy decode of {@value #TOKENS} tokens: the same three, back to back. */
    @Benchmark
    @Warmup(iterations = 1, time = 20)
    @Measurement(iterations = 6, time = 20)
    public void decode(Times times, Blackhole blackhole) {
        long[] nanos = rounds.next(blackhole,
                () -> models.stock().generate(models.tokens(), TOKENS).tokens()[TOKENS - 1],
                () -> generate(models.intercepted(), prompt),
                () -> generate(own, prompt));
        times.add(nanos);
    }

    /** Discovery over 4 prompts: stock jlama's plain passes, then cna4j's discovery on either kernel set. */
    @Benchmark
    public void discovery(Times times, Blackhole blackhole) {
        long[] nanos = rounds.next(blackhole,
                () -> {
                    int sum = 0;
                    for (int[] tokens : discoveryTokens) sum += models.stock().forward(tokens);
                    return sum;
                },
                () -> DiscoveryBenchmark.discover(models.intercepted()),
                () -> DiscoveryBenchmark.discover(own));
        times.add(nanos);
    }

    /** Greedy generation of exactly {@value #TOKENS} tokens, end of sequence ignored; the last token. */
    static int generate(JlamaSteerableModel model, Prompt prompt) {
        Generation g = model.generate(prompt, GenerationOptions.greedy(TOKENS).ignoringEos(), ActivationInterceptor.NONE);
        if (g.tokens().length != TOKENS) throw new IllegalStateException("generated " + g.tokens().length + " tokens");
        return g.tokens()[TOKENS - 1];
    }

    /** Each variant's time, summed per iteration (JMH secondary metrics). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        /** Stock jlama. */
        public long stockNanos;
        /** cna4j's model on jlama's kernels. */
        public long jlamaKernelsNanos;
        /** cna4j's model on cna4j's kernels. */
        public long cna4jKernelsNanos;
        /** Rounds (each variant once). */
        public long rounds;

        void add(long[] nanos) {
            stockNanos += nanos[0];
            jlamaKernelsNanos += nanos[1];
            cna4jKernelsNanos += nanos[2];
            rounds++;
        }

        /** JMH does not reset counters itself. */
        @Setup(Level.Iteration)
        public void reset() {
            stockNanos = 0;
            jlamaKernelsNanos = 0;
            cna4jKernelsNanos = 0;
            rounds = 0;
        }
    }
}
