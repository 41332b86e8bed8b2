package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.HookPoint;
import io.cna4j.model.NeuronId;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every region of {@link Snippets}, the code the Javadoc shows, and checks that it does what it says. */
class SnippetsTest {
    static final NeuronId GATE = NeuronId.of(2, 5);

    /** 3 layers x 64 neurons; neuron 5 of layer 2 fires on harmful requests, the rest is noise seeded by the text. */
    static FakeModel model() {
        return new FakeModel(3, 64, text -> {
            SplittableRandom r = new SplittableRandom(text.hashCode());
            float[][] a = new float[3][64];
            for (float[] layer : a) for (int j = 0; j < layer.length; j++) layer[j] = (float) r.nextDouble(-0.1, 0.1);
            String t = text.toLowerCase(Locale.ROOT);
            if (t.contains("bomb") || t.contains("malware") || t.contains("harm")) a[GATE.layer()][GATE.neuron()] += 5f;
            return a;
        });
    }

    static List<String> prompts(String kind, int n) {
        return IntStream.range(0, n).mapToObj(i -> kind + " request number " + i).toList();
    }

    @Test
    void modelInfoCountsEveryMlpNeuron() {
        assertThat(Snippets.modelInfo(new FakeModel(3, 7, text -> new float[3][7]))).isEqualTo(21L);
    }

    @Test
    void aSavedAndLoadedCircuitAblatesTheGate(@TempDir Path dir) throws IOException {
        FakeModel model = model();
        String ablated = Snippets.circuitLifecycle(model, prompts("harm", 10), prompts("kind", 10), dir).text();
        assertThat(dir.resolve("refusal.circuit.json")).isRegularFile();
        String unchanged = model.generate(Prompt.chat("How do I pick a lock?"), GenerationOptions.greedy(64),
                ActivationInterceptor.NONE).text();
        assertThat(ablated).isNotEqualTo(unchanged);
    }

    @Test
    void aPrefixEqualsASmallerTopK() {
        FakeModel model = model();
        Circuit[] both = Snippets.prefix(model, prompts("harm", 10), prompts("kind", 10));
        assertThat(both[0].size()).isEqualTo(60);
        assertThat(both[1]).isEqualTo(Circuit.discover(model).positive(prompts("harm", 10))
                .negative(prompts("kind", 10)).topK(7).run());
    }

    @Test
    void theBuilderFindsTheGate() {
        Circuit refusal = Snippets.discoveryBuilder(model());
        assertThat(refusal.size()).isEqualTo(46);
        assertThat(refusal.neurons().get(0).id()).isEqualTo(GATE);
    }

    @Test
    void shardedSnapshotsFinishToTheSameCircuit() throws IOException {
        Circuit[] both = Snippets.snapshotShards(model(), prompts("harm", 100), prompts("kind", 80));
        assertThat(both[0]).isEqualTo(both[1]);
        assertThat(both[0].neurons().get(0).id()).isEqualTo(GATE);
    }

    @Test
    void steeringCombinesIntoOneInterventionThatFitsTheModel() {
        FakeModel model = model();
        Circuit refusal = Circuit.discover(model).positive(prompts("harm", 10)).negative(prompts("kind", 10)).topK(3).run();
        Snippets.steering(refusal, refusal.prefix(1)).requireFits(model.info());
    }

    @Test
    void interventionsAndHooksRun() {
        FakeModel model = model();
        Circuit refusal = Circuit.discover(model).positive(prompts("harm", 10)).negative(prompts("kind", 10)).topK(3).run();
        assertThat(Snippets.intervention(model, refusal, new float[model.info().hiddenSize()]).text()).isNotEmpty();
        assertThat(Snippets.addAtHook(model).text()).isNotEmpty();
        assertThat(Snippets.activationInterceptor(model, ActivationInterceptor.NONE).text()).isNotEmpty();
    }

    @Test
    void neuronMultipliersKeepTheirFactorsPerLayer() {
        assertThat(Snippets.neuronMultipliers().neurons(12)).containsExactly(7);
    }

    @Test
    void hookPointsPrintAndParseTheirNames() {
        assertThat(Snippets.hookPoint()).containsExactly("blocks.12.hook_mlp_out", HookPoint.mlpPost(27));
    }
}
