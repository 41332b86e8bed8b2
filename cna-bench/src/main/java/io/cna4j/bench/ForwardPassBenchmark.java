package io.cna4j.bench;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
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
 * Benchmark 1, what interception costs on a forward pass: one chat prompt of about 40 tokens (the
 * question below in the model's chat template, with its default system prompt) through a random-weight
 * model of a real shape ({@link ModelShape}), in three ways:
 * <ul>
 *   <li>stock jlama, the baseline: jlama's own model, templating, encoding, prefill and the last position's
 *       greedy token ({@link StockJlama#forward});</li>
 *   <li>cna4j's model with {@link ActivationInterceptor#NONE};</li>
 *   <li>cna4j's model with a no-op interceptor, called at every layer, so the cost of the hook calls and row
 *       views shows.</li>
 * </ul>
 * {@code interleaved} runs the three back to back in each operation ({@link Interleaved}) and sums each
 * one's time per iteration in {@link Times}: the ratios of the target (both cna4j variants at most 3 %
 * slower) come from those sums. {@code stockJlama} times the baseline alone, for the throughput table
 * (the {@code :prefillFlop} secondary metric gives the achieved GFLOP/s, {@link PrefillCounters}) and as the
 * pure-Java side of {@link NativeOperationsBenchmark}. Both models see the same tokens (checked at setup).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 6, time = 10)
public class ForwardPassBenchmark {
    /** About 40 tokens once a chat template (with its default system prompt) is applied. */
    static final String QUESTION = "Could you explain how a bicycle gear works?";

    /** The model shape ({@link ModelShape}). */
    @Param({"smol135m", "qwen05b", "llama1b"})
    public String shape;

    private ModelPair models;
    private long flopPerPass;
    private final Prompt prompt = Prompt.chat(QUESTION);
    private final Interleaved rounds = new Interleaved();
    private final ActivationInterceptor noOp = new ActivationInterceptor() {
        @Override
        public void onMlpActivation(ActivationRows rows) {}
    };

    /** Loads both models from the cached folder and checks that they see the same tokens. */
    @Setup(Level.Trial)
    public void setUp() {
        models = ModelPair.load(shape, QUESTION);
        flopPerPass = ModelCost.of(models.folder(), 2).prefillFlop(models.promptLength());
        System.out.printf("# %s: prompt of %d tokens, %.2f GFLOP per pass%n", shape, models.promptLength(), flopPerPass / 1e9);
    }

    /** Closes both models. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        models.close();
    }

    /** The baseline alone (throughput table, and the pure-Java side of benchmark 6). */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 5, time = 5)
    public int stockJlama(PrefillCounters counters) {
        counters.prefillFlop += flopPerPass;
        return models.stock().forward(models.tokens());
    }

    /** Stock jlama, cna4j without an interceptor and cna4j with a no-op interceptor, back to back. */
    @Benchmark
    public void interleaved(Times times, Blackhole blackhole) {
        long[] nanos = rounds.next(blackhole,
                () -> models.stock().forward(models.tokens()),
                () -> models.intercepted().forward(prompt, ActivationInterceptor.NONE).argmax(),
                () -> models.intercepted().forward(prompt, noOp).argmax());
        times.stockNanos += nanos[0];
        times.noInterceptorNanos += nanos[1];
        times.noOpNanos += nanos[2];
        times.rounds++;
    }

    /** Each variant's time in {@link #interleaved}, summed per iteration (JMH secondary metrics). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        /** Stock jlama's forward passes. */
        public long stockNanos;
        /** cna4j's passes without an interceptor. */
        public long noInterceptorNanos;
        /** cna4j's passes with the no-op interceptor. */
        public long noOpNanos;
        /** Rounds (each variant once). */
        public long rounds;

        /** JMH does not reset counters itself. */
        @Setup(Level.Iteration)
        public void reset() {
            stockNanos = 0;
            noInterceptorNanos = 0;
            noOpNanos = 0;
            rounds = 0;
        }
    }
}
