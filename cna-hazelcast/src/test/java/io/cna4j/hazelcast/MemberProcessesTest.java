package io.cna4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import io.cna4j.circuit.Circuit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two member processes on loopback and a client in this JVM, as {@code ./cna4j worker} and {@code ./cna4j
 * discover} run: the circuit of one JVM bit for bit, then again after one member process is killed mid-job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MemberProcessesTest {
    private static final int PORT = 15801;
    @TempDir
    static Path logs;
    private static MemberProcess first, second;
    private static HazelcastInstance client;

    @BeforeAll
    static void start() throws Exception {
        Planted.spec();   // written before the members start: they open it by path
        first = MemberProcess.start(PORT, List.of(), logs.resolve("member-1.log"));
        second = MemberProcess.start(PORT + 1, List.of("127.0.0.1:" + PORT), logs.resolve("member-2.log"));
        client = HazelcastClient.newHazelcastClient(ClusterConfigs.client(List.of("127.0.0.1:" + PORT)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) client.shutdown();
        if (second != null) second.close();
        if (first != null) first.close();
    }

    @Test
    @Order(1)
    void twoMemberProcessesGiveTheSingleJvmCircuitBitForBit() {
        assertThat(client.getCluster().getMembers()).hasSize(2);
        Circuit circuit = HazelcastDiscovery.on(client, Planted.source()).run(Planted.discovery());
        InJvmClusterTest.assertSameBits(circuit, Planted.reference());
    }

    /** Jet-style re-run: the killed member's shards go back to the queue; the circuit is still the exact one. */
    @Test
    @Order(2)
    void killingAMemberProcessMidJobStillGivesTheExactCircuit() throws Exception {
        int total = Planted.discovery().promptCount();
        AtomicLong doneAtKill = new AtomicLong(-1);
        AtomicLong lowestAfterKill = new AtomicLong(Long.MAX_VALUE);
        Circuit circuit = HazelcastDiscovery.on(client, Planted.source()).onProgress(p -> {
            if (doneAtKill.get() >= 0) lowestAfterKill.accumulateAndGet(p.done(), Math::min);
            if (p.done() >= 6 && doneAtKill.compareAndSet(-1, p.done())) second.kill();
        }).run(Planted.discovery());
        assertThat(doneAtKill.get()).as("killed mid-job").isBetween(6L, total - 1L);
        assertThat(second.alive()).isFalse();
        assertThat(lowestAfterKill.get()).as("the lost shard's progress was taken back").isLessThan(doneAtKill.get());
        InJvmClusterTest.assertSameBits(circuit, Planted.reference());
        assertThat(Files.readString(logs.resolve("member-1.log"))).contains("127.0.0.1:" + (PORT + 1));
    }
}
