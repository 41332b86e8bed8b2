package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.model.ModelInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

class DiscoverySnapshotTest {
    /** Activations over 12 orders of magnitude: plain double sums of these depend on the order. */
    private static final FakeModel WIDE = new FakeModel(3, 40, text -> {
        float[][] a = Planted.noise(text, 3, 40, 1f);
        for (float[] row : a) {
            for (int j = 0; j < row.length; j++) row[j] = (float) (row[j] * Math.pow(10, (j % 9) - 6)) * (j % 2 == 0 ? 3e2f : 1f);
        }
        return a;
    });
    private final List<String> pos = Planted.prompts("harm", 31);
    private final List<String> neg = Planted.prompts("okay", 17);
    private final List<String> diverse = Planted.prompts("misc", 11);

    private CircuitDiscovery discovery(List<String> p, List<String> n, List<String> u) {
        return Circuit.discover(WIDE).positive(p).negative(n).universalPrompts(u).universalTopFraction(0.05)
                .universalPrevalence(0.3).topK(25);
    }

    /** Shard {@code s} of 3: uneven, contiguous; shard 1 has no negative prompts. */
    private DiscoverySnapshot shard(int s) {
        int[] pCut = {0, 5, 20, 31};
        int[] nCut = {0, 9, 9, 17};
        int[] uCut = {0, 4, 7, 11};
        return discovery(pos.subList(pCut[s], pCut[s + 1]), neg.subList(nCut[s], nCut[s + 1]),
                diverse.subList(uCut[s], uCut[s + 1])).collect();
    }

    @Test
    void shardsAddToOneCollectionBitForBitInEveryOrderAndGrouping() {
        DiscoverySnapshot whole = discovery(pos, neg, diverse).collect();
        List<DiscoverySnapshot> shards = List.of(shard(0), shard(1), shard(2));
        assertThat(shards.get(1).negativeCount()).isZero();
        assertThat(shards).doesNotContain(whole);
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        BinaryOperator<DiscoverySnapshot> plus = DiscoverySnapshot::plus;
        for (int[] o : orders) {
            DiscoverySnapshot x = shards.get(o[0]), y = shards.get(o[1]), z = shards.get(o[2]);
            DiscoverySnapshot left = plus.apply(plus.apply(x, y), z);
            DiscoverySnapshot right = plus.apply(x, plus.apply(y, z));
            assertThat(left).as("(%d+%d)+%d", o[0], o[1], o[2]).isEqualTo(whole);
            assertThat(right).as("%d+(%d+%d)", o[0], o[1], o[2]).isEqualTo(whole);
            assertThat(left.toBytes()).isEqualTo(whole.toBytes());
            assertThat(right.toBytes()).isEqualTo(whole.toBytes());
        }
        // the operands are unchanged, and the empty snapshot is neutral
        assertThat(shards.get(0)).isEqualTo(shard(0));
        assertThat(DiscoverySnapshot.empty(WIDE.info(), whole.settings()).plus(whole)).isEqualTo(whole);

        DiscoverySnapshot merged = shards.get(2).plus(shards.get(0)).plus(shards.get(1));
        Circuit finished = discovery(pos, neg, diverse).finish(merged);
        assertThat(finished).isEqualTo(discovery(pos, neg, diverse).run());
        assertThat(finished.prompts()).isEqualTo(new PromptCounts(31, 17, 11));
        assertThat(finished.universalNeuronsRemoved()).isNotEmpty();
    }

    @Test
    void serialisedFormRoundTripsBitForBit() throws IOException {
        DiscoverySnapshot withFilter = discovery(pos, neg, diverse).collect();
        DiscoverySnapshot noFilter = Circuit.discover(WIDE).positive(pos).negative(neg).includeUniversal().collect();
        for (DiscoverySnapshot s : List.of(withFilter, noFilter)) {
            byte[] bytes = s.toBytes();
            DiscoverySnapshot back = DiscoverySnapshot.fromBytes(bytes);
            assertThat(back).isEqualTo(s);
            assertThat(back.toBytes()).isEqualTo(bytes);
            assertThat(back.model()).isEqualTo(WIDE.info());
        }
        assertThat(noFilter.universalCount()).isZero();
        // 8 magic + 4 version + model + settings, then 2 x (12 + 120 x 16) sums, then 1 + 16 + 120 x 4 counter
        int header = withFilter.toBytes().length - 2 * (12 + 120 * 16) - (1 + 16 + 120 * 4);
        assertThat(header).isBetween(40, 120);
        assertThat(DiscoverySnapshot.fromBytes(withFilter.toBytes()).plus(extraShard()))
                .isEqualTo(withFilter.plus(extraShard()));
    }

    private DiscoverySnapshot extraShard() {
        return discovery(List.of("harm extra"), List.of(), List.of("misc extra")).collect();
    }

    @Test
    void damagedDataIsRefusedWithAReason() {
        byte[] good = discovery(pos, neg, diverse).collect().toBytes();
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> DiscoverySnapshot.fromBytes(magic)).isInstanceOf(IOException.class).hasMessageContaining("magic");
        byte[] version = good.clone();
        ByteBuffer.wrap(version).putInt(8, 2);
        assertThatThrownBy(() -> DiscoverySnapshot.fromBytes(version)).isInstanceOf(IOException.class)
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> DiscoverySnapshot.fromBytes(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(IOException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> DiscoverySnapshot.fromBytes(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(IOException.class).hasMessageContaining("1 extra bytes");
        byte[] sum = good.clone();
        int header = good.length - 2 * (12 + 120 * 16) - (1 + 16 + 120 * 4);
        ByteBuffer.wrap(sum).putDouble(header + 12 + 120 * 8, 1e300);   // positive sums: low part of neuron 0
        assertThatThrownBy(() -> DiscoverySnapshot.fromBytes(sum)).isInstanceOf(IOException.class)
                .hasMessageContaining("positive sums: neuron 0");
    }

    @Test
    void addingSnapshotsOfOtherModelsOrSettingsNamesTheDifference() {
        DiscoverySnapshot a = discovery(pos, neg, diverse).collect();
        ModelInfo i = WIDE.info();
        FakeModel other = new FakeModel(new ModelInfo("other", i.architecture(), i.layers(), i.neuronsPerLayer(), i.hiddenSize(),
                i.vocabularySize(), i.contextLength(), "fp-other"), text -> Planted.noise(text, 3, 40, 1f));
        DiscoverySnapshot b = Circuit.discover(other).positive(pos).negative(neg).universalPrompts(diverse)
                .universalTopFraction(0.05).collect();
        assertThatThrownBy(() -> a.plus(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different models").hasMessageContaining("fp-3x40").hasMessageContaining("fp-other");
        DiscoverySnapshot c = Circuit.discover(WIDE).positive(pos).negative(neg).universalPrompts(diverse)
                .universalTopFraction(0.1).collect();
        assertThatThrownBy(() -> a.plus(c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("universalTopFraction 0.05 vs 0.1");
        DiscoverySnapshot d = Circuit.discover(WIDE).positive(pos).negative(neg).includeUniversal().collect();
        assertThatThrownBy(() -> a.plus(d)).hasMessageContaining("universalFilter true vs false");
        assertThatThrownBy(() -> Circuit.discover(other).positive(pos).negative(neg).finish(a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fp-other");
    }

    @Test
    void finishRefusesASnapshotMissingAShard() {
        DiscoverySnapshot partial = shard(0).plus(shard(2));
        assertThatThrownBy(() -> discovery(pos, neg, diverse).finish(partial)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds 16 positive prompts, but this discovery was given 31");
        assertThatThrownBy(() -> discovery(pos, neg, diverse).finish(shard(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no negative prompts in the snapshot");
        // a bare builder finishes whatever the snapshot holds, as long as model and settings agree
        CircuitDiscovery bare = Circuit.discover(WIDE).universalPrompts(diverse).universalTopFraction(0.05)
                .universalPrevalence(0.3).topK(25);
        assertThat(bare.finish(shard(0).plus(shard(1)).plus(shard(2)))).isEqualTo(discovery(pos, neg, diverse).run());
    }
}
