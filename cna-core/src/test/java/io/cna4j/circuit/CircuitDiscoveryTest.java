package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.model.NeuronId;
import io.cna4j.progress.Progress;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CircuitDiscoveryTest {
    private final FakeModel model = Planted.model();
    private final List<String> harmful = Planted.prompts("harm", 12);
    private final List<String> benign = Planted.prompts("okay", 9);

    /** The exact mean, rounded once to double, then divided: what exact summation must give. */
    private static double exactMean(List<String> prompts, int layer, int neuron) {
        BigDecimal s = BigDecimal.ZERO;
        for (String p : prompts) s = s.add(new BigDecimal(Planted.activations(p)[layer][neuron]));
        return s.doubleValue() / prompts.size();
    }

    @Test
    void muIsMeanPositiveMinusMeanNegativeExactly() {
        Circuit c = Circuit.discover(model).positive(harmful).negative(benign).topK(3).run();

        assertThat(c.neurons()).extracting(CircuitNeuron::id)
                .containsExactly(NeuronId.of(3, 10), NeuronId.of(2, 7), NeuronId.of(1, 100));
        for (CircuitNeuron n : c.neurons()) {
            double pos = exactMean(harmful, n.layer(), n.neuron());
            double neg = exactMean(benign, n.layer(), n.neuron());
            assertThat(n.meanPositive()).isEqualTo(pos);
            assertThat(n.meanNegative()).isEqualTo(neg);
            assertThat(n.mu()).isEqualTo(pos - neg);
        }
        assertThat(c.neurons()).extracting(CircuitNeuron::rank).containsExactly(1, 2, 3);
        assertThat(c.neurons().get(1).mu()).isNegative();
        assertThat(c.prompts()).isEqualTo(new PromptCounts(12, 9, UniversalPrompts.defaults().size()));
    }

    @Test
    void recordsOnlyTheLastPromptToken() {
        Circuit c = Circuit.discover(model).positive(harmful).negative(benign).topK(3).run();
        // earlier positions hold 9999 everywhere; recording them would move every mean far away
        assertThat(c.neurons()).allSatisfy(n -> assertThat(Math.abs(n.meanNegative())).isLessThan(1));
    }

    @Test
    void tiesBreakByLayerThenNeuron() {
        // four neurons with |mu| = 2 exactly, signs mixed, nothing else differs
        FakeModel tied = new FakeModel(3, 8, text -> {
            float[][] a = new float[3][8];
            if (text.startsWith("p")) {
                a[2][1] = 2f;
                a[0][5] = -2f;
                a[0][3] = 2f;
                a[1][0] = -2f;
                a[1][7] = 1f;
            }
            return a;
        });
        Circuit c = Circuit.discover(tied).positive(List.of("p1", "p2")).negative(List.of("n1")).includeUniversal()
                .topK(5).run();
        assertThat(c.neurons()).extracting(CircuitNeuron::id).containsExactly(
                NeuronId.of(0, 3), NeuronId.of(0, 5), NeuronId.of(1, 0), NeuronId.of(2, 1), NeuronId.of(1, 7));
    }

    @Test
    void kFromFractionIsRoundedUpAndAtLeastOne() {
        // 1000 neurons: 0.001 -> 1, 0.0025 -> 3 (2.5 rounded up), 0.003 -> 3, tiny -> at least 1
        assertThat(Circuit.discover(model).positive(harmful).negative(benign).run().size()).isEqualTo(1);
        assertThat(Circuit.discover(model).positive(harmful).negative(benign).topFraction(0.0025).run().size()).isEqualTo(3);
        assertThat(Circuit.discover(model).positive(harmful).negative(benign).topFraction(0.003).run().size()).isEqualTo(3);
        assertThat(Circuit.discover(model).positive(harmful).negative(benign).topFraction(1e-9).run().size()).isEqualTo(1);
        assertThat(CircuitDiscovery.atLeastOne(0.001, 46_080)).isEqualTo(47);
    }

    @Test
    void universalNeuronsAreRemovedAndReported() {
        Circuit on = Circuit.discover(model).positive(harmful).negative(benign).topK(3).run();
        // default top fraction 0.001 of 1000 neurons = the single largest activation: (0, 0) at 100+
        assertThat(on.universalNeuronsRemoved()).containsExactly(NeuronId.of(0, 0));
        assertThat(on.contains(NeuronId.of(0, 0))).isFalse();
        assertThat(on.settings().excludeUniversal()).isTrue();
        assertThat(on.settings().defaultUniversalPrompts()).isTrue();

        Circuit off = Circuit.discover(model).positive(harmful).negative(benign).topK(3).includeUniversal().run();
        assertThat(off.neurons().get(0).id()).isEqualTo(NeuronId.of(0, 0));
        assertThat(off.neurons().get(0).mu()).isEqualTo(10.0);
        assertThat(off.universalNeuronsRemoved()).isEmpty();
        assertThat(off.prompts().universal()).isZero();
    }

    @Test
    void universalThresholdsAndPromptsAreConfigurable() {
        List<String> diverse = Planted.prompts("diverse", 10);
        Circuit two = Circuit.discover(model).positive(harmful).negative(benign).topK(3)
                .universalPrompts(diverse).universalTopFraction(0.002).run();
        assertThat(two.universalNeuronsRemoved()).containsExactly(NeuronId.of(0, 0), NeuronId.of(3, 249));
        assertThat(two.prompts().universal()).isEqualTo(10);
        assertThat(two.settings().defaultUniversalPrompts()).isFalse();

        // (3, 10) is in the top 3 only on the positive prompts: 12 of 22 universal prompts (55 %)
        List<String> mixed = new ArrayList<>(harmful);
        mixed.addAll(Planted.prompts("plain", 10));
        Circuit atHalf = Circuit.discover(model).positive(harmful).negative(benign).topK(2)
                .universalPrompts(mixed).universalTopFraction(0.003).universalPrevalence(0.5).run();
        assertThat(atHalf.universalNeuronsRemoved()).contains(NeuronId.of(3, 10));
        Circuit atSixty = Circuit.discover(model).positive(harmful).negative(benign).topK(2)
                .universalPrompts(mixed).universalTopFraction(0.003).universalPrevalence(0.6).run();
        assertThat(atSixty.universalNeuronsRemoved()).doesNotContain(NeuronId.of(3, 10));
        assertThat(atSixty.neurons().get(0).id()).isEqualTo(NeuronId.of(3, 10));
    }

    @Test
    void identicalWhateverTheThreadCountAndPromptOrder() {
        // wide dynamic range: plain double sums of these differ with order
        FakeModel wide = new FakeModel(3, 40, text -> {
            float[][] a = Planted.noise(text, 3, 40, 1f);
            for (float[] row : a) {
                for (int j = 0; j < row.length; j++) row[j] = (float) (row[j] * Math.pow(10, (j % 9) - 6)) * (j % 2 == 0 ? 3e2f : 1f);
            }
            return a;
        });
        List<String> pos = Planted.prompts("harm", 37);
        List<String> neg = Planted.prompts("okay", 23);
        Circuit reference = Circuit.discover(wide).positive(pos).negative(neg).includeUniversal().topK(120).run();
        Random random = new Random(42);
        for (int threads : new int[] {1, 2, 3, 5}) {
            List<String> p = new ArrayList<>(pos);
            List<String> n = new ArrayList<>(neg);
            Collections.shuffle(p, random);
            Collections.shuffle(n, random);
            Circuit c = Circuit.discover(wide).positive(p).negative(n).includeUniversal().topK(120).threads(threads).run();
            assertThat(c).as("threads %d, shuffled", threads).isEqualTo(reference);
        }
    }

    @Test
    void reportsProgressOncePerPromptPerStage() {
        List<Progress> seen = new CopyOnWriteArrayList<>();
        Circuit.discover(model).positive(harmful).negative(benign).topK(1).universalPrompts(List.of("a", "b", "c"))
                .threads(2).onProgress(seen::add).run();
        assertThat(seen).hasSize(3 + 12 + 9);
        assertThat(seen).filteredOn(p -> p.stage().equals("universal")).hasSize(3);
        assertThat(seen).filteredOn(p -> p.stage().equals("positive")).extracting(Progress::done)
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(seen).filteredOn(p -> p.stage().equals("negative")).allMatch(p -> p.total() == 9);
        assertThat(model.forwards.get()).isEqualTo(24);
    }

    @Test
    void excludedLayersAreNeverPicked() {
        Circuit c = Circuit.discover(model).positive(harmful).negative(benign).topK(3).excludeLayers(3).run();
        assertThat(c.neurons()).noneMatch(n -> n.layer() == 3);
        assertThat(c.neurons()).extracting(CircuitNeuron::id).startsWith(NeuronId.of(2, 7), NeuronId.of(1, 100));
        assertThat(c.settings().excludedLayers()).containsExactly(3);
    }

    @Test
    void perLayerTakesKInEachLayer() {
        Circuit c = Circuit.discover(model).positive(harmful).negative(benign).topK(2).perLayer().excludeLayers(0).run();
        assertThat(c.analysis().countsPerLayer()).containsExactly(0, 2, 2, 2);
        assertThat(c.neurons()).extracting(CircuitNeuron::id)
                .startsWith(NeuronId.of(3, 10), NeuronId.of(2, 7), NeuronId.of(1, 100));
        assertThat(c.settings().perLayer()).isTrue();
        // fraction per layer: 0.01 of 250 = 3 per layer
        assertThat(Circuit.discover(model).positive(harmful).negative(benign).topFraction(0.01).perLayer().run().size())
                .isEqualTo(12);
    }

    @Test
    void rejectsBadSettings() {
        CircuitDiscovery d = Circuit.discover(model);
        assertThatThrownBy(() -> d.topK(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topK");
        assertThatThrownBy(() -> d.topK(1001)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
        assertThatThrownBy(() -> d.topFraction(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> d.topFraction(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.topFraction(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.universalPrevalence(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.universalTopFraction(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.excludeLayers(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 4");
        assertThatThrownBy(() -> d.threads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.universalPrompts(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.positive(List.of("ok", " "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive prompt #1");
        assertThatThrownBy(() -> Circuit.discover(model).excludeLayers(0, 1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all 4 layers");
    }

    @Test
    void conflictingBuilderCallsFailNamingBothCalls() {
        assertThatThrownBy(() -> Circuit.discover(model).topFraction(0.01).topK(3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topK(3) conflicts with topFraction(0.01)");
        assertThatThrownBy(() -> Circuit.discover(model).topK(3).topFraction(0.01)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topFraction(0.01) conflicts with topK(3)");
        assertThatThrownBy(() -> Circuit.discover(model).includeUniversal().universalPrompts(List.of("a")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("universalPrompts(1 prompts) conflicts with includeUniversal()");
        assertThatThrownBy(() -> Circuit.discover(model).universalTopFraction(0.01).includeUniversal())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("includeUniversal() conflicts with universalTopFraction(0.01)");
        assertThatThrownBy(() -> Circuit.discover(model).excludeUniversal().includeUniversal())
                .hasMessageContaining("includeUniversal() conflicts with excludeUniversal()");
        assertThatThrownBy(() -> Circuit.discover(model).includeUniversal().universalPrevalence(0.5))
                .hasMessageContaining("universalPrevalence(0.5) conflicts with includeUniversal()");
        // calls that agree stay allowed: the same option twice (the last wins), and universal options together
        assertThat(Circuit.discover(model).positive(harmful).negative(benign).topK(5).topK(3).run().size()).isEqualTo(3);
        Circuit.discover(model).excludeUniversal().universalPrompts(List.of("a")).universalTopFraction(0.01).universalPrevalence(0.5);
    }

    @Test
    void runsOnTheCallersExecutorAndNeverShutsItDown() {
        Circuit reference = Circuit.discover(model).positive(harmful).negative(benign).topK(3).run();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger tasks = new AtomicInteger();
        try {
            for (int threads : new int[] {2, 3}) {
                Circuit c = Circuit.discover(model).positive(harmful).negative(benign).topK(3).threads(threads)
                        .executor(r -> {
                            tasks.incrementAndGet();
                            pool.execute(r);
                        }).run();
                assertThat(c).isEqualTo(reference);
                assertThat(pool.isShutdown()).isFalse();
            }
            // universal (74 prompts), positive, negative: 2 + 3 shares each
            assertThat(tasks.get()).isEqualTo(3 * 2 + 3 * 3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingPromptEndsTheRunAndLeavesTheCallersExecutorRunning() {
        FakeModel failing = new FakeModel(4, 250, text -> {
            if (text.equals("harm prompt 7")) throw new IllegalStateException("model failed on " + text);
            return Planted.activations(text);
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertThatThrownBy(() -> Circuit.discover(failing).positive(harmful).negative(benign).includeUniversal().threads(2)
                    .executor(pool).run()).isInstanceOf(IllegalStateException.class).hasMessageContaining("model failed on harm prompt 7");
            assertThat(pool.isShutdown()).isFalse();
            assertThat(pool.submit(() -> 42).get()).isEqualTo(42);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsEmptyOrOneSidedPromptSets() {
        assertThatThrownBy(() -> Circuit.discover(model).negative(benign).run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no positive prompts");
        assertThatThrownBy(() -> Circuit.discover(model).positive(harmful).run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no negative prompts");
        assertThatThrownBy(() -> Circuit.discover(model).positive(List.of()).negative(benign).run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no positive prompts");
    }

    @Test
    void perLayerKLargerThanALayerFails() {
        assertThatThrownBy(() -> Circuit.discover(model).positive(harmful).negative(benign).topK(251).perLayer().run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("250");
    }

    @Test
    void tooFewCandidatesLeftFails() {
        assertThatThrownBy(() -> Circuit.discover(model).positive(harmful).negative(benign).topK(1000).run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("999 remain");
    }

    @Test
    void nanActivationNamesPromptAndLayer() {
        FakeModel broken = new FakeModel(3, 8, text -> {
            float[][] a = new float[3][8];
            if (text.equals("the bad one")) a[2][5] = Float.NaN;
            return a;
        });
        assertThatThrownBy(() -> Circuit.discover(broken).positive(List.of("fine", "the bad one")).negative(List.of("x"))
                .includeUniversal().run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NaN")
                .hasMessageContaining("layer 2")
                .hasMessageContaining("blocks.2.mlp.hook_post[5]")
                .hasMessageContaining("positive prompt #1")
                .hasMessageContaining("the bad one");
    }

    @Test
    void infiniteActivationFailsInParallelToo() {
        FakeModel broken = new FakeModel(2, 8, text -> {
            float[][] a = new float[2][8];
            if (text.equals("n7")) a[1][0] = Float.NEGATIVE_INFINITY;
            return a;
        });
        assertThatThrownBy(() -> Circuit.discover(broken).positive(List.of("p")).negative(List.of("n0", "n7", "n9")).includeUniversal().threads(3).run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("infinite")
                .hasMessageContaining("layer 1").hasMessageContaining("negative prompt #1");
    }
}
