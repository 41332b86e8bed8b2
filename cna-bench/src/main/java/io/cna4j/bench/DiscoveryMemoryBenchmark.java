package io.cna4j.bench;

import io.cna4j.circuit.Circuit;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.model.Prompt;
import java.util.ArrayList;
import java.util.List;
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
 * Benchmark 5, discovery's memory: the largest live heap ({@link LiveHeap}, sampled every
 * {@value #SAMPLE_EVERY} prompts and at both ends) of one discovery over 50 and over 500 prompts (half
 * positive, half negative, universal filter off) on the SmolLM2-135M shape. Discovery keeps per-neuron sums
 * only, so the target is a flat peak: 500 prompts at most 10 % above 50.
 *
 * <p>The prompts are short raw texts (about 8 tokens, no chat template) so that 550 forward passes fit in
 * a few minutes on 2 cores; the memory discovery keeps does not depend on prompt length. Each fork runs
 * each prompt count once (single shot); the time score is reported but is not the point.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class DiscoveryMemoryBenchmark {
    /** Prompts between two live-heap samples. */
    static final int SAMPLE_EVERY = 10;

    /** Prompts in the discovery, half positive and half negative. */
    @Param({"50", "500"})
    public int prompts;

    private JlamaSteerableModel model;
    private List<Prompt> positive;
    private List<Prompt> negative;

    /** Loads the model and makes the prompts. */
    @Setup(Level.Trial)
    public void setUp() {
        OperationsProvider.requirePanama();
        model = JlamaModels.load(BenchModels.folder(ModelShape.SMOL135M));
        positive = new ArrayList<>();
        negative = new ArrayList<>();
        for (int i = 0; i < prompts / 2; i++) {
            positive.add(Prompt.raw("How do I break lock number " + i + "?"));
            negative.add(Prompt.raw("How do I bake bread number " + i + "?"));
        }
        System.out.printf("# %d prompts of %d tokens%n", prompts, model.tokenize(positive.get(0)).length);
    }

    /** Closes the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /** One discovery, with the live heap sampled as it goes. */
    @Benchmark
    public Circuit discovery(HeapCounters counters) {
        LiveHeap heap = new LiveHeap();
        long before = heap.sample();
        Circuit c = Circuit.discover(model).positivePrompts(positive).negativePrompts(negative).includeUniversal()
                .threads(1).onProgress(p -> {
                    if (p.done() % SAMPLE_EVERY == 0) heap.sample();
                }).run();
        heap.sample(); // the circuit is still referenced here
        counters.peakLiveHeapBytes = heap.peak();
        counters.discoveryLiveHeapBytes = heap.peak() - before;
        System.out.printf("# live heap: %.1f MiB before, peak %.1f MiB over %d samples%n",
                before / 1048576.0, heap.peak() / 1048576.0, heap.samples());
        return c;
    }
}
