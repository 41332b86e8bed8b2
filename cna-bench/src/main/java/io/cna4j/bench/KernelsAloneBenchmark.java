package io.cna4j.bench;

import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaOptions;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.Kernels;
import io.cna4j.model.ActivationInterceptor;
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
 * Benchmark 7 again, each side alone in its JVM: stock jlama's and cna4j's (on its own kernels) prefill, greedy
 * decode of 64 tokens and 2 + 2-prompt discovery, as {@link KernelsBenchmark} runs them, but every method in a fork
 * of its own (JMH forks per benchmark method) that loads one model only.
 *
 * <p>Why both: {@link KernelsBenchmark} interleaves the sides in one JVM, which cancels the drift of a shared machine
 * but lets one side's code shape the JIT's view of the other's. The Vector API classes are shared: C2 compiles
 * {@code FloatVector}'s methods and records their type profiles for whichever code ran first, and a kernel compiled
 * later may then not be inlined or intrinsified the same way. Measured: with the interleaved design, stock jlama's
 * 4 plain passes on the Qwen2.5 shape took 5.7 s in one run and 10.9 s in another of the same code, depending on
 * what had been compiled first. Alone in a JVM, each side is what a user running only that side gets; the price is
 * that drift between forks is not cancelled, so run it on a quiet machine.
 *
 * <p>{@code prefillCna4jQ8} and {@code decodeCna4jQ8} run cna4j's kernels on Q8_0 copies of the same weights
 * ({@link JlamaOptions.Quantization#Q8_0}); {@code make-table} compares them with {@code prefillCna4j} and
 * {@code decodeCna4j} on BF16.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
public class KernelsAloneBenchmark {
    private static final Prompt PROMPT = Prompt.chat(ForwardPassBenchmark.QUESTION);

    /** Stock jlama alone, with the prompts' ids as cna4j (Hugging Face) tokenizes them. */
    @State(Scope.Benchmark)
    public static class Stock {
        /** The model shape ({@link ModelShape}). */
        @Param({"smol135m", "qwen05b", "llama1b"})
        public String shape;

        StockJlama model;
        int[] prompt;
        int[][] discoveryPrompts;

        /** Tokenizes with cna4j (closed before measuring), then loads stock jlama. */
        @Setup(Level.Trial)
        public void setUp() {
            OperationsProvider.requirePanama();
            var folder = BenchModels.folder(ModelShape.of(shape));
            try (JlamaSteerableModel tokenizer = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.JLAMA))) {
                prompt = tokenizer.tokenize(PROMPT);
                discoveryPrompts = DiscoveryBenchmark.PROMPTS.stream().map(q -> tokenizer.tokenize(Prompt.chat(q))).toArray(int[][]::new);
            }
            model = StockJlama.load(folder);
        }

        /** Closes the model. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            model.close();
        }
    }

    /** cna4j's model on its own kernels alone. */
    @State(Scope.Benchmark)
    public static class Own {
        /** The model shape ({@link ModelShape}). */
        @Param({"smol135m", "qwen05b", "llama1b"})
        public String shape;

        JlamaSteerableModel model;

        /** How the model is loaded. */
        JlamaOptions options() {
            return JlamaOptions.defaults().kernels(Kernels.CNA4J);
        }

        /** Loads the model. */
        @Setup(Level.Trial)
        public void setUp() {
            OperationsProvider.requirePanama();
            model = JlamaModels.load(BenchModels.folder(ModelShape.of(shape)), options());
        }

        /** Closes the model. */
        @TearDown(Level.Trial)
        public void tearDown() {
            model.close();
        }
    }

    /** cna4j's model on its own kernels with Q8_0 weights ({@link JlamaOptions.Quantization#Q8_0}) alone. */
    @State(Scope.Benchmark)
    public static class OwnQ8 extends Own {
        @Override
        JlamaOptions options() {
            return JlamaOptions.defaults().quantize(JlamaOptions.Quantization.Q8_0);
        }
    }

    /** Stock jlama's prefill of the chat prompt and its greedy next token. */
    @Benchmark
    public int prefillStock(Stock s) {
        return s.model.forward(s.prompt);
    }

    /** cna4j's prefill of the chat prompt and its greedy next token. */
    @Benchmark
    public int prefillCna4j(Own o) {
        return o.model.forward(PROMPT, ActivationInterceptor.NONE).argmax();
    }

    /** Stock jlama's greedy generation of {@value KernelsBenchmark#TOKENS} tokens. */
    @Benchmark
    @Measurement(iterations = 4, time = 20)
    public int decodeStock(Stock s) {
        return s.model.generate(s.prompt, KernelsBenchmark.TOKENS).tokens()[KernelsBenchmark.TOKENS - 1];
    }

    /** cna4j's greedy generation of {@value KernelsBenchmark#TOKENS} tokens. */
    @Benchmark
    @Measurement(iterations = 4, time = 20)
    public int decodeCna4j(Own o) {
        return KernelsBenchmark.generate(o.model, PROMPT);
    }

    /** cna4j's prefill on Q8_0 weights. */
    @Benchmark
    public int prefillCna4jQ8(OwnQ8 o) {
        return o.model.forward(PROMPT, ActivationInterceptor.NONE).argmax();
    }

    /** cna4j's greedy generation of {@value KernelsBenchmark#TOKENS} tokens on Q8_0 weights. */
    @Benchmark
    @Measurement(iterations = 4, time = 20)
    public int decodeCna4jQ8(OwnQ8 o) {
        return KernelsBenchmark.generate(o.model, PROMPT);
    }

    /** Stock jlama has no discovery: the 4 prompts' plain passes, the least a discovery on it costs. */
    @Benchmark
    public int discoveryStock(Stock s) {
        int sum = 0;
        for (int[] tokens : s.discoveryPrompts) sum += s.model.forward(tokens);
        return sum;
    }

    /** cna4j's discovery over the 4 prompts (record and reduce every layer's last token, then rank). */
    @Benchmark
    public int discoveryCna4j(Own o) {
        return DiscoveryBenchmark.discover(o.model);
    }
}
