package io.cna4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's limits as a Java program sees them, the yardsticks for the prefill GFLOP/s and decode
 * GB/s that the model benchmarks achieve. Both run on as many threads as there are processors (jlama
 * uses them all) with the Vector API's preferred species, as jlama's pure-Java operations do:
 * <ul>
 *   <li>{@code fmaPeak}: F32 fused multiply-adds into 8 independent register accumulators (no memory
 *       traffic): the arithmetic ceiling ({@code :flop}, per second).</li>
 *   <li>{@code readBandwidth}: a vectorised sum over a 256 MiB array per thread, far beyond the caches:
 *       the memory-read ceiling ({@code :bytesRead}, per second).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(Threads.MAX)
@Fork(value = 2, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.FORCE_PANAMA, "-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MachineLimitsBenchmark {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FMA_STEPS = 1 << 20;
    private static final int READ_FLOATS = 64 << 20; // 256 MiB

    private float[] data;

    /** Floating-point operations done (an FMA counts 2); per second, summed over the threads. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Floating-point operations in this iteration. */
        public long flop;

        /** JMH does not reset counters itself. */
        @Setup(Level.Iteration)
        public void reset() {
            flop = 0;
        }
    }

    /** Bytes read from memory; per second, summed over the threads. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        /** Bytes read in this iteration. */
        public long bytesRead;

        /** JMH does not reset counters itself. */
        @Setup(Level.Iteration)
        public void reset() {
            bytesRead = 0;
        }
    }

    /** Fills this thread's array (so its pages are touched before measuring). */
    @Setup(Level.Trial)
    public void setUp() {
        data = new float[READ_FLOATS];
        for (int i = 0; i < data.length; i++) data[i] = (i & 1023) * 1e-3f;
    }

    /** {@value #FMA_STEPS} steps of 8 independent vector FMAs. */
    @Benchmark
    public float fmaPeak(Flops counters) {
        FloatVector x = FloatVector.broadcast(F, 0.9999f), y = FloatVector.broadcast(F, 1e-4f);
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = FloatVector.broadcast(F, 2f), a2 = FloatVector.broadcast(F, 3f),
                a3 = FloatVector.broadcast(F, 4f), a4 = FloatVector.broadcast(F, 5f), a5 = FloatVector.broadcast(F, 6f),
                a6 = FloatVector.broadcast(F, 7f), a7 = FloatVector.broadcast(F, 8f);
        for (int i = 0; i < FMA_STEPS; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
        }
        counters.flop += 2L * 8 * F.length() * FMA_STEPS;
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** One vectorised pass over this thread's 256 MiB array. */
    @Benchmark
    public float readBandwidth(Bytes counters) {
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        int step = F.length();
        for (int i = 0; i < data.length; i += 4 * step) {
            s0 = s0.add(FloatVector.fromArray(F, data, i));
            s1 = s1.add(FloatVector.fromArray(F, data, i + step));
            s2 = s2.add(FloatVector.fromArray(F, data, i + 2 * step));
            s3 = s3.add(FloatVector.fromArray(F, data, i + 3 * step));
        }
        counters.bytesRead += 4L * data.length;
        return s0.add(s1).add(s2).add(s3).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
