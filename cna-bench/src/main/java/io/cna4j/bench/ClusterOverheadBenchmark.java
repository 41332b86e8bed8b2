package io.cna4j.bench;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.CircuitDiscovery;
import io.cna4j.circuit.DiscoverySnapshot;
import io.cna4j.hazelcast.ClusterConfigs;
import io.cna4j.hazelcast.HazelcastDiscovery;
import io.cna4j.jlama.JlamaModelSource;
import io.cna4j.jlama.planted.BuiltInPrompts;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.model.SteerableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What running discovery through Hazelcast costs beyond the forward passes, on the same cores: the prompt
 * collection of the planted Llama model (6 layers x 1024 MLP neurons; 40 harmful + 40 benign built-in prompts +
 * the 74 universal prompts = 154) in this JVM ({@code CircuitDiscovery.collect}) against the same collection
 * through {@link HazelcastDiscovery} with one member embedded in this JVM (loopback): member check, 4 shards
 * serialised to the member and run on its executor, a progress message per prompt, 4 snapshots serialised back
 * and added. {@code interleaved} runs both back to back per operation ({@link Interleaved}); the difference of
 * their times over 154 prompts is the overhead per prompt. {@code snapshotWire} is the serialisation part per
 * shard: one snapshot to bytes, back, and added.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
public class ClusterOverheadBenchmark {
    private SteerableModel model;
    private JlamaModelSource source;
    private HazelcastInstance member;
    private DiscoverySnapshot snapshot;
    private final Interleaved rounds = new Interleaved();

    /** Writes the planted model, opens it, starts one loopback member. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        OperationsProvider.requirePanama();
        Path folder = PlantedModel.builder().writeTo(Files.createTempDirectory("cna4j-bench-planted").resolve("llama")).folder();
        source = JlamaModelSource.folder(folder);
        model = source.open();
        member = Hazelcast.newHazelcastInstance(ClusterConfigs.member("127.0.0.1", 15951, List.of()));
        snapshot = discovery().collect();
    }

    /** Stops the member and closes the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        member.shutdown();
        model.close();
    }

    private CircuitDiscovery discovery() {
        return Circuit.discover(model).positive(BuiltInPrompts.harmful()).negative(BuiltInPrompts.benign());
    }

    /** The collection in this JVM and through the member, back to back. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 6)
    public void interleaved(Times times, Blackhole blackhole) {
        long[] nanos = rounds.next(blackhole, () -> (int) discovery().collect().positiveCount(),
                () -> (int) HazelcastDiscovery.on(member, source).collect(discovery()).positiveCount());
        times.oneJvmNanos += nanos[0];
        times.clusterNanos += nanos[1];
        times.rounds++;
    }

    /** One shard's snapshot to bytes and back, then added: the serialisation and merge cost per shard. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 5, time = 2)
    public DiscoverySnapshot snapshotWire() throws IOException {
        return DiscoverySnapshot.fromBytes(snapshot.toBytes()).plus(snapshot);
    }

    /** Each variant's time in {@link #interleaved}, summed per iteration (JMH secondary metrics). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Times {
        /** Collections in this JVM. */
        public long oneJvmNanos;
        /** Collections through the embedded member. */
        public long clusterNanos;
        /** Rounds (each variant once). */
        public long rounds;

        /** JMH does not reset counters itself. */
        @Setup(Level.Iteration)
        public void reset() {
            oneJvmNanos = 0;
            clusterNanos = 0;
            rounds = 0;
        }
    }
}
