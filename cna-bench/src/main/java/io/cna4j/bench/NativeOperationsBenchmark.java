package io.cna4j.bench;

import io.cna4j.jlama.text.ChatTemplate;
import io.cna4j.jlama.text.HfTokenizer;
import io.cna4j.jlama.text.PromptEncoder;
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
 * Benchmark 6, what jlama-native buys: stock jlama's forward pass (benchmark 1) and 64-token generation
 * (benchmark 3) with jlama-native's C kernels. The forks run without
 * {@code -Djlama.force_panama_tensor_operations}, so jlama picks {@code NativeSimdTensorOperations} (checked
 * at setup); the pure-Java baselines are {@link ForwardPassBenchmark#stockJlama} and
 * {@link GenerationBenchmark#stockJlama} of the same suite run, on the same cached models and prompt.
 *
 * <p>For information only: jlama-native 0.8.4's batched kernels compute wrong products for 6 or more rows,
 * so the native prefill here is fast and wrong (and so are the tokens generated after it); decoding
 * multiplies one row at a time, which it gets right. cna4j refuses to run its models on it
 * ({@code KernelCheck}); only stock jlama is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.HEAP})
public class NativeOperationsBenchmark {
    /** The model shape ({@link ModelShape}). */
    @Param({"smol135m", "qwen05b", "llama1b"})
    public String shape;

    private StockJlama stock;
    private int[] tokens;
    private long flopPerPass;
    private long bytesPerToken;

    /** Loads stock jlama on jlama-native's operations (fails if jlama picked another provider). */
    @Setup(Level.Trial)
    public void setUp() {
        OperationsProvider.require(true);
        var folder = BenchModels.folder(ModelShape.of(shape));
        stock = StockJlama.load(folder);
        ModelCost cost = ModelCost.of(folder, 2);
        try (HfTokenizer tokenizer = HfTokenizer.load(folder)) {
            tokens = new PromptEncoder(tokenizer, ChatTemplate.load(folder).orElseThrow()).encode(Prompt.chat(ForwardPassBenchmark.QUESTION));
        }
        flopPerPass = cost.prefillFlop(tokens.length);
        bytesPerToken = cost.decodeWeightBytes();
    }

    /** Closes the model. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        stock.close();
    }

    /** {@link ForwardPassBenchmark#stockJlama} on jlama-native (the same forks, warm-up and iterations). */
    @Benchmark
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 5, time = 5)
    public int forwardStockNative(PrefillCounters counters) {
        counters.prefillFlop += flopPerPass;
        return stock.forward(tokens);
    }

    /** {@link GenerationBenchmark#stockJlama} on jlama-native (the same forks, warm-up and iterations). */
    @Benchmark
    @Warmup(iterations = 1, time = 15)
    @Measurement(iterations = 4, time = 15)
    public int generateStockNative(DecodeCounters counters) {
        StockJlama.Greedy g = stock.generate(tokens, GenerationBenchmark.TOKENS);
        counters.add(g.decodeNanos(), GenerationBenchmark.TOKENS - 1, bytesPerToken);
        return g.tokens()[GenerationBenchmark.TOKENS - 1];
    }
}
