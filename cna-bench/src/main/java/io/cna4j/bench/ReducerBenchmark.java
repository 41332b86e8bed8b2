package io.cna4j.bench;

import io.cna4j.circuit.reduce.NeuronSums;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What it costs to fold one prompt's last-token MLP activations into the discovery sums, with the Vector API
 * ({@link NeuronSums#vector}) and with the plain scalar loop ({@link NeuronSums#scalar}) side by side in the
 * same run, for a whole model's worth of neurons: SmolLM2-135M (30 layers x 1536 = 46,080 neurons) and
 * Qwen2.5-0.5B (24 x 4864 = 116,736). A third size, {@code L2-resident} (4,096 neurons: 64 KiB of sums), fits
 * in the core's L2 cache and tells compute from memory traffic: if the two model shapes took much longer per
 * neuron than it, the cache misses would be the cost.
 *
 * <p>Both do the same exact float64 arithmetic (per neuron: float-to-double, rounding to the grain, one
 * double-double TwoSum update of the sum, plus the range check; the sum of squares it also kept until issue 13
 * went, as nothing user-facing read it), and produce
 * bit-identical sums; only the instructions differ. Why it matters: discovery runs this once per prompt per
 * thread, and it must stay small next to the forward pass (milliseconds) while being order-independent.
 *
 * <p>Each invocation adds one of 16 pre-generated samples (normal-ish values of scale 0.3 with 1 % outliers
 * up to +-40, like SwiGLU activations); the sums are reset every iteration so they stay in their exact range.
 *
 * {@snippet lang=shell :
 * ./cna4j mvn -B -ntp -q -pl cna-bench -am package -DskipTests
 * java -jar cna-bench/target/benchmarks.jar ReducerBenchmark -rf json -rff cna-bench/results/reducer.json
 * }
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.FORCE_PANAMA, "-Xmx2g"})
public class ReducerBenchmark {

    /** The model whose MLP shape is reduced: layers x neurons per layer. */
    @Param({"SmolLM2-135M", "Qwen2.5-0.5B", "L2-resident"})
    public String model;

    private float[][] samples;
    private NeuronSums vector;
    private NeuronSums scalar;
    private int next;

    @Setup(Level.Trial)
    public void makeSamples() {
        int neurons = switch (model) {
            case "SmolLM2-135M" -> 30 * 1536;
            case "Qwen2.5-0.5B" -> 24 * 4864;
            case "L2-resident" -> 4096;
            default -> throw new IllegalArgumentException("unknown model shape " + model);
        };
        SplittableRandom r = new SplittableRandom(2024);
        samples = new float[16][neurons];
        for (float[] s : samples) {
            for (int j = 0; j < neurons; j++) {
                double g = (r.nextDouble() + r.nextDouble() + r.nextDouble() - 1.5) * 0.3;
                s[j] = (float) (r.nextInt(100) == 0 ? g * 130 : g);
            }
        }
    }

    @Setup(Level.Iteration)
    public void resetSums() {
        vector = NeuronSums.vector(samples[0].length);
        scalar = NeuronSums.scalar(samples[0].length);
        next = 0;
    }

    /** One sample into the Vector API sums. */
    @Benchmark
    public long vectorApi() {
        vector.add(samples[next++ & 15]);
        return vector.count();
    }

    /** The same sample into the scalar reference sums: the baseline. */
    @Benchmark
    public long scalarLoop() {
        scalar.add(samples[next++ & 15]);
        return scalar.count();
    }
}
