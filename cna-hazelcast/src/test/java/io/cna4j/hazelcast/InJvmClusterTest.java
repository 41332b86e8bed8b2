package io.cna4j.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.CircuitNeuron;
import io.cna4j.jlama.JlamaModelSource;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two and three members embedded in this JVM, on loopback: the circuit of one JVM, bit for bit. */
class InJvmClusterTest {
    private static final int PORT = 15701;
    private static final List<HazelcastInstance> members = new ArrayList<>();

    @BeforeAll
    static void startTwo() {
        start();
        start();
    }

    private static HazelcastInstance start() {
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(
                ClusterConfigs.member("127.0.0.1", PORT + members.size(), List.of("127.0.0.1:" + PORT)));
        members.add(hz);
        return hz;
    }

    @AfterAll
    static void stop() {
        members.forEach(HazelcastInstance::shutdown);
    }

    static void assertSameBits(Circuit actual, Circuit expected) {
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.neurons()).hasSameSizeAs(expected.neurons());
        for (int i = 0; i < expected.neurons().size(); i++) {
            CircuitNeuron a = actual.neurons().get(i), e = expected.neurons().get(i);
            assertThat(a.id()).isEqualTo(e.id());
            assertThat(Double.doubleToRawLongBits(a.mu())).as("mu of %s", e.id()).isEqualTo(Double.doubleToRawLongBits(e.mu()));
        }
        assertThat(actual.universalNeuronsRemoved()).isEqualTo(expected.universalNeuronsRemoved());
        assertThat(actual.prompts()).isEqualTo(expected.prompts());
    }

    @Test
    void twoThenThreeMembersGiveTheSingleJvmCircuitBitForBit() {
        Circuit expected = Planted.reference();
        assertThat(expected.universalNeuronsRemoved()).isNotEmpty();
        assertThat(expected.neurons()).extracting(CircuitNeuron::id).containsAll(Planted.spec().gate());

        List<Progress> progress = new CopyOnWriteArrayList<>();
        Circuit two = HazelcastDiscovery.on(members.get(0), Planted.source()).onProgress(progress::add).run(Planted.discovery());
        assertThat(members.get(0).getCluster().getMembers()).hasSize(2);
        assertSameBits(two, expected);
        int total = Planted.discovery().promptCount();
        assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p.total()).isEqualTo(total));

        start();
        assertThat(members.get(0).getCluster().getMembers()).hasSize(3);
        Circuit three = HazelcastDiscovery.on(members.get(2), Planted.source()).shardsPerMember(3).run(Planted.discovery());
        assertSameBits(three, expected);
    }

    /** The fingerprint covers shapes, not weights (ModelFolder), so the other model has another layer count. */
    @Test
    void membersThatOpenAnotherModelAreRefusedByName() throws Exception {
        Path other = PlantedModel.builder().layers(5).writeTo(Files.createTempDirectory("cna4j-hz-other").resolve("llama")).folder();
        assertThatThrownBy(() -> HazelcastDiscovery.on(members.get(0), JlamaModelSource.folder(other)).run(Planted.discovery()))
                .isInstanceOf(ClusterDiscoveryException.class)
                .hasMessageContaining("refused: member 127.0.0.1:" + PORT)
                .hasMessageContaining("fingerprint " + Planted.model().info().fingerprint());
    }

    @Test
    void aMemberOfAnotherVersionIsNamed() {
        MemberReport r = new MemberReport("10.0.0.7:5701", "0.0.9", "llama", Planted.model().info().fingerprint());
        assertThat(r.problems(Cna4jVersion.get(), Planted.model().info()))
                .containsExactly("runs cna4j 0.0.9, the job cna4j " + Cna4jVersion.get());
        assertThat(r.problems("0.0.9", Planted.model().info())).isEmpty();
    }
}
