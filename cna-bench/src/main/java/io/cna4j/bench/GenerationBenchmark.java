package io.cna4j.bench;

import io.cna4j.circuit.Steering;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.util.concurrent.TimeUnit;
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

/**
 * Benchmark 3, what steering costs in generation: greedy generation of {@value #TOKENS} tokens
 * (end-of-sequence ignored) after the ~40-token chat prompt of {@link ForwardPassBenchmark}, on a
 * random-weight model of a real shape, in three ways measured in the same run:
 * <ul>
 *   <li>{@code stockJlama}, the baseline: jlama's own model ({@link StockJlama#generate});</li>
 *   <li>{@code steeredAblate0p1Percent}: cna4j's model ablating ({@code m = 0}) 0.1 % of all MLP neurons,
 *       the size of a default circuit, at every position;</li>
 *   <li>{@code steeredHalve1Percent}: multiplying 1 % of all MLP neurons by {@code m = 0.5}.</li>
 * </ul>
 * The neurons are drawn at random from a fixed seed ({@link RandomNeurons}) and steered with
 * {@link Steering#scale}, as {@code Circuit.steer} does. The score is the time of one whole generation
 * (prefill + decoding), so tokens/s = {@value #TOKENS} / score; target: steered at most 2 % fewer tokens/s.
 * The decoding phase alone is recorded by {@link DecodeCounters} (decode tokens/s and GB/s of weights read).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
@Warmup(iterations = 2, time = 15)
@Measurement(iterations = 5, time = 15)
public class GenerationBenchmark {
    /** Tokens generated per operation. */
    static final int TOKENS = 64;

    /** The model shape ({@link ModelShape}). */
    @Param({"smol135m", "qwen05b", "llama1b"})
    public String shape;

    private StockJlama stock;
    private JlamaSteerableModel intercepted;
    private ActivationInterceptor ablateTenthPercent;
    private ActivationInterceptor halveOnePercent;
    private long bytesPerToken;
    private final Prompt prompt = Prompt.chat(ForwardPassBenchmark.QUESTION);
    private final GenerationOptions options = GenerationOptions.greedy(TOKENS).ignoringEos();

    /** Loads both models and draws the steered neurons. */
    @Setup(Level.Trial)
    public void setUp() {
        OperationsProvider.requirePanama();
        var folder = BenchModels.folder(ModelShape.of(shape));
        stock = StockJlama.load(folder);
        intercepted = JlamaModels.load(folder);
        stock.encodeChatAs(intercepted, ForwardPassBenchmark.QUESTION);
        var tenth = RandomNeurons.draw(intercepted.info(), 0.001, 61);
        var one = RandomNeurons.draw(intercepted.info(), 0.01, 62);
        ablateTenthPercent = Steering.scale(tenth, 0f);
        halveOnePercent = Steering.scale(one, 0.5f);
        bytesPerToken = ModelCost.of(folder, 2).decodeWeightBytes();
        System.out.printf("# %s: steering %d and %d of %d neurons; %.2f GB of weights per decoded token%n",
                shape, tenth.size(), one.size(), intercepted.info().totalNeurons(), bytesPerToken / 1e9);
    }

    /** Closes both models. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        stock.close();
        intercepted.close();
    }

    /** The baseline: stock jlama. */
    @Benchmark
    public int stockJlama(DecodeCounters counters) {
        StockJlama.Greedy g = stock.generate(ForwardPassBenchmark.QUESTION, TOKENS);
        counters.add(g.decodeNanos(), TOKENS - 1, bytesPerToken);
        return g.tokens()[TOKENS - 1];
    }

    /** cna4j, {@code m = 0} on 0.1 % of the neurons. */
    @Benchmark
    public int steeredAblate0p1Percent(DecodeCounters counters) {
        return generate(ablateTenthPercent, counters);
    }

    /** cna4j, {@code m = 0.5} on 1 % of the neurons. */
    @Benchmark
    public int steeredHalve1Percent(DecodeCounters counters) {
        return generate(halveOnePercent, counters);
    }

    private int generate(ActivationInterceptor steering, DecodeCounters counters) {
        Generation g = intercepted.generate(prompt, options, steering);
        if (g.tokens().length != TOKENS) throw new IllegalStateException("generated " + g.tokens().length + " tokens");
        counters.add(g.decodeNanos(), TOKENS - 1, bytesPerToken);
        return g.tokens()[TOKENS - 1];
    }
}
