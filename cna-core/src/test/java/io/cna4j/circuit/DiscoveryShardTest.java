package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.progress.ProgressListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DiscoveryShardTest {
    private final FakeModel model = Planted.model();
    private final List<String> pos = Planted.prompts("harm", 13);
    private final List<String> neg = Planted.prompts("okay", 9);

    /** The default universal set , so the shards keep "default prompts" in their settings. */
    private CircuitDiscovery discovery() {
        return Circuit.discover(model).positive(pos).negative(neg).universalTopFraction(0.02).topK(12);
    }

    @Test
    void shardsCollectedInAnyOrderFinishToTheCircuitOfOneRun() {
        Circuit expected = discovery().run();
        DiscoverySnapshot whole = discovery().collect();
        for (int n : new int[] {1, 2, 5, 40}) {
            List<DiscoveryShard> shards = new ArrayList<>(discovery().shards(n));
            assertThat(shards).hasSizeLessThanOrEqualTo(n);
            assertThat(shards.stream().mapToInt(DiscoveryShard::promptCount).sum()).isEqualTo(discovery().promptCount()).isEqualTo(UniversalPrompts.defaults().size() + 13 + 9);
            Collections.reverse(shards);
            DiscoverySnapshot sum = null;
            for (DiscoveryShard s : shards) {
                DiscoverySnapshot part = s.collect(model, ProgressListener.NONE);
                sum = sum == null ? part : part.plus(sum);
            }
            assertThat(sum).as("%d shards", n).isEqualTo(whole);
            assertThat(discovery().finish(sum)).as("%d shards", n).isEqualTo(expected);
        }
        // more shards than prompts: without any prompt are left out
        List<DiscoveryShard> many = discovery().shards(200);
        assertThat(many).hasSizeLessThan(200).allSatisfy(s -> assertThat(s.promptCount()).isPositive());
        for (int i = 0; i < many.size(); i++) assertThat(many.get(i).index()).isEqualTo(i);
    }

    @Test
    void aLostShardIsCaughtAtFinish() {
        List<DiscoveryShard> shards = discovery().shards(3);
        DiscoverySnapshot partial = shards.get(0).collect(model, ProgressListener.NONE).plus(shards.get(1).collect(model, ProgressListener.NONE));
        assertThatThrownBy(() -> discovery().finish(partial)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was a shard lost");
    }

    @Test
    void aShardTravelsByJavaSerialisationAndReportsEachPrompt() throws Exception {
        DiscoveryShard shard = discovery().shards(2).get(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(shard);
        }
        DiscoveryShard back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (DiscoveryShard) in.readObject();
        }
        assertThat(back).isEqualTo(shard);
        AtomicInteger heard = new AtomicInteger();
        assertThat(back.collect(model, p -> heard.incrementAndGet())).isEqualTo(shard.collect(model, ProgressListener.NONE));
        assertThat(heard).hasValue(shard.promptCount());
    }

    @Test
    void aShardRefusesAnotherModelAndBadCounts() {
        DiscoveryShard shard = discovery().shards(2).get(0);
        FakeModel other = new FakeModel(Planted.LAYERS + 1, Planted.WIDTH, t -> Planted.noise(t, Planted.LAYERS + 1, Planted.WIDTH, 1f));
        assertThatThrownBy(() -> shard.collect(other, ProgressListener.NONE)).isInstanceOf(ModelMismatchException.class)
                .hasMessageContaining(shard.modelFingerprint());
        assertThatThrownBy(() -> discovery().shards(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Circuit.discover(model).positive(pos).shards(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no negative prompts");
    }
}
