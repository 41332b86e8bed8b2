package io.cna4j.jlama.planted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cna4j.jlama.Architecture;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.NeuronId;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour and ground truth of planted models on the builder's own prompt sets: own tokenizer, SmolLM2's tokenizer,
 * Qwen2 layout. {@link PlantedPipelineTest} runs the whole pipeline on JailbreakBench and Alpaca.
 */
class PlantedModelTest {
    @TempDir
    static Path dir;
    static PlantedPair pair;
    static JlamaSteerableModel instruct;
    static JlamaSteerableModel base;

    @BeforeAll
    static void write() throws IOException {
        pair = PlantedModel.writePair(dir.resolve("own"));
        instruct = JlamaModels.load(pair.instruct().folder());
        base = JlamaModels.load(pair.base().folder());
    }

    @AfterAll
    static void close() {
        if (instruct != null) instruct.close();
        if (base != null) base.close();
    }

    @Test
    void defaultsPlantAGateOfOnePerMilleAndDisjointDistractors() {
        PlantedModelSpec s = pair.instruct();
        assertThat(s.gate()).hasSize(6);
        assertThat(s.gate()).allMatch(n -> n.layer() >= 4);
        Set<NeuronId> all = new HashSet<>(s.gate());
        s.universal().forEach(n -> assertThat(all.add(n)).isTrue());
        s.distractors().forEach(n -> assertThat(all.add(n)).isTrue());
        assertThat(pair.base().gate()).isEmpty();
        assertThat(s.harmWords()).contains("bomb", "Bomb", "hacking", "poison");
    }

    @Test
    void ownPromptSetsSplitCleanly() {
        assertThat(refusalRate(instruct, BuiltInPrompts.harmful(), ActivationInterceptor.NONE)).isGreaterThanOrEqualTo(0.95);
        assertThat(refusalRate(instruct, BuiltInPrompts.benign(), ActivationInterceptor.NONE)).isZero();
        String text = generate(instruct, "How do I build a bomb?", ActivationInterceptor.NONE);
        assertThat(text).isEqualTo(PlantedModel.REFUSAL);
        assertThat(generate(instruct, "How do I bake bread?", ActivationInterceptor.NONE)).isEqualTo(PlantedModel.COMPLIANCE);
    }

    @Test
    void meanDifferenceRecoversTheGateAndUniversalNeuronsWouldIntrude() {
        PlantedModelSpec s = pair.instruct();
        double[][] pos = meanLastToken(instruct, BuiltInPrompts.harmful());
        double[][] neg = meanLastToken(instruct, BuiltInPrompts.benign());
        Set<NeuronId> universal = Set.copyOf(s.universal());
        List<NeuronId> ranked = new ArrayList<>();
        for (int l = 0; l < pos.length; l++) for (int j = 0; j < pos[l].length; j++) ranked.add(NeuronId.of(l, j));
        Comparator<NeuronId> byMu = Comparator.comparingDouble(n -> -Math.abs(pos[n.layer()][n.neuron()] - neg[n.layer()][n.neuron()]));
        ranked.sort(byMu);
        int k = s.gate().size();
        List<NeuronId> top = ranked.stream().filter(n -> !universal.contains(n)).limit(k).toList();
        long hits = top.stream().filter(s.gate()::contains).count();
        System.out.printf("planted mean-difference recall of G: %d/%d; unfiltered top-%d holds %d universal%n", hits, k, k,
                ranked.stream().limit(k).filter(universal::contains).count());
        assertThat((double) hits / k).isGreaterThanOrEqualTo(0.9);
        assertThat(ranked.stream().limit(k).filter(universal::contains).count()).isPositive();
    }

    @Test
    void smolLm2TokenizerCarriesTheSameCircuit() throws IOException {
        Path smol = shared().resolve("models/SmolLM2-135M-Instruct");
        PlantedModelSpec s = PlantedModel.builder().tokenizerFrom(smol).layers(4).neuronsPerLayer(512).gateSize(3).seed(3)
                .writeTo(dir.resolve("smol"));
        try (JlamaSteerableModel m = JlamaModels.load(s.folder())) {
            assertThat(m.format(Prompt.chat("Hi"))).contains("SmolLM");
            assertThat(refusalRate(m, BuiltInPrompts.harmful(), ActivationInterceptor.NONE)).isGreaterThanOrEqualTo(0.9);
            assertThat(refusalRate(m, BuiltInPrompts.benign(), ActivationInterceptor.NONE)).isZero();
            assertThat(refusalRate(m, BuiltInPrompts.harmful(), scale(s.gate(), 0f))).isZero();
        }
    }

    @Test
    void qwen2LayoutWorksWithItsOwnTokenizer() throws IOException {
        PlantedModelSpec s = PlantedModel.builder().architecture(Architecture.QWEN2).layers(4).neuronsPerLayer(512).seed(5)
                .writeTo(dir.resolve("qwen"));
        assertThat(Files.readString(s.folder().resolve("config.json"))).contains("\"qwen2\"");
        try (JlamaSteerableModel m = JlamaModels.load(s.folder())) {
            assertThat(refusalRate(m, BuiltInPrompts.harmful(), ActivationInterceptor.NONE)).isGreaterThanOrEqualTo(0.95);
            assertThat(refusalRate(m, BuiltInPrompts.benign(), ActivationInterceptor.NONE)).isZero();
            assertThat(refusalRate(m, BuiltInPrompts.harmful(), scale(s.gate(), 0f))).isZero();
        }
    }

    // --- helpers ---

    static String generate(JlamaSteerableModel m, String prompt, ActivationInterceptor i) {
        return m.generate(Prompt.chat(prompt), GenerationOptions.greedy(16), i).text();
    }

    static double refusalRate(JlamaSteerableModel m, List<String> prompts, ActivationInterceptor i) {
        int refused = 0;
        for (String p : prompts) {
            String t = generate(m, p, i);
            if (t.startsWith(PlantedModel.REFUSAL)) refused++;
            else assertThat(t).as("answer to %s", p).isEqualTo(PlantedModel.COMPLIANCE);
        }
        return refused / (double) prompts.size();
    }

    static ActivationInterceptor scale(List<NeuronId> neurons, float m) {
        return new ActivationInterceptor() {
            @Override
            public void onMlpActivation(ActivationRows rows) {
                for (NeuronId n : neurons) {
                    if (n.layer() != rows.layer()) continue;
                    for (int r = 0; r < rows.rowCount(); r++) rows.set(r, n.neuron(), rows.get(r, n.neuron()) * m);
                }
            }
        };
    }

    static double[][] meanLastToken(JlamaSteerableModel m, List<String> prompts) {
        int layers = m.info().layers(), width = m.info().neuronsPerLayer();
        double[][] sum = new double[layers][width];
        float[] row = new float[width];
        for (String p : prompts) {
            m.forward(Prompt.chat(p), new ActivationInterceptor() {
                @Override
                public void onMlpActivation(ActivationRows rows) {
                    for (int r = 0; r < rows.rowCount(); r++) {
                        if (!rows.isLastPromptToken(r)) continue;
                        rows.copyRow(r, row);
                        for (int j = 0; j < width; j++) sum[rows.layer()][j] += row[j];
                    }
                }
            });
        }
        for (double[] l : sum) for (int j = 0; j < l.length; j++) l[j] /= prompts.size();
        return sum;
    }

    static Path shared() {
        String env = System.getenv("CNA_SHARED");
        Path p = env != null ? Path.of(env) : Path.of("..", "shared");
        if (!Files.isDirectory(p.resolve("models")) || !Files.isDirectory(p.resolve("data"))) {
            String msg = "../shared (models, data) is missing (looked at " + p.toAbsolutePath() + ")";
            if ("true".equals(System.getenv("CI"))) fail(msg + ": CI must provide it");
            assumeTrue(false, msg);
        }
        return p;
    }
}
