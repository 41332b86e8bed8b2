package io.cna4j.bench;

import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaOptions;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.Kernels;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 7's memory target: the resident size ({@code VmRSS} of {@code /proc/self/status}, Linux) of a JVM that
 * has loaded one BF16 random-weight model of a real shape and run it (a ~40-token prefill and 16 greedy tokens, so
 * every weight page has been read), with stock jlama, cna4j on jlama's kernels, or cna4j on its own kernels. Each
 * {@code variant} runs in a fresh fork (JMH forks per parameter combination), so the three sizes do not mix. Target:
 * cna4j's kernels at most 1.1 x stock jlama's (they read jlama's tensors in place: no packed copy).
 *
 * <p>The figure is the process's. The heap is fixed and touched up front ({@value #HEAP}, {@value #FIXED_HEAP},
 * {@value #PRE_TOUCH}), so it is resident in full and equally in every variant, and short-lived arrays cannot make
 * one variant's heap grow more than another's: the differences between variants are the model's memory (mapped
 * weights, jlama's working tensors, caches). One operation per fork; the time JMH reports is load + run, not a
 * performance figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA,
        ResidentSizeBenchmark.HEAP, ResidentSizeBenchmark.FIXED_HEAP, ResidentSizeBenchmark.PRE_TOUCH})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class ResidentSizeBenchmark {
    /** The fixed heap: large enough for the Llama-3.2-1B shape's run. */
    static final String HEAP = "-Xmx3g";
    /** Initial heap = maximum heap. */
    static final String FIXED_HEAP = "-Xms3g";
    /** Every heap page touched at start, so the whole heap is resident from the first moment. */
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    /** The model shape ({@link ModelShape}). */
    @Param({"smol135m", "qwen05b", "llama1b"})
    public String shape;

    /** {@code stock} (jlama's own model), {@code JLAMA} or {@code CNA4J} (cna4j's model on that kernel set). */
    @Param({"stock", "JLAMA", "CNA4J"})
    public String variant;

    /** Loads the model, runs it, and records the resident size before closing it. */
    @Benchmark
    public void loadAndRun(Resident resident) throws Exception {
        Path folder = BenchModels.folder(ModelShape.of(shape));
        Prompt prompt = Prompt.chat(ForwardPassBenchmark.QUESTION);
        if (variant.equals("stock")) {
            OperationsProvider.requirePanama();
            int[] tokens;
            try (JlamaSteerableModel tokenizer = JlamaModels.load(folder)) {
                tokens = tokenizer.tokenize(prompt);
            }
            try (StockJlama stock = StockJlama.load(folder)) {
                stock.generate(tokens, 16);
                resident.residentMiB = residentMiB();
            }
        } else {
            try (JlamaSteerableModel model = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.valueOf(variant)))) {
                model.generate(prompt, GenerationOptions.greedy(16).ignoringEos(), ActivationInterceptor.NONE);
                resident.residentMiB = residentMiB();
            }
        }
    }

    /** {@code VmRSS} of this process, MiB. */
    static long residentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self/status (the resident size needs Linux)", e);
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }

    /** The resident size after the run (a JMH secondary metric). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Resident {
        /** MiB resident after loading and running the model. */
        public long residentMiB;

        /** Cleared per iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            residentMiB = 0;
        }
    }
}
