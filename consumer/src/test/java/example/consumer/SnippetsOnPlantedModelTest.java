package example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.circuit.Circuit;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.data.PromptDatasets;
import io.cna4j.eval.refusal.RefusalClassifier;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.planted.PlantedModelSpec;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.NeuronId;
import io.cna4j.model.Prompt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's snippets, compiled against the published artifacts, on a planted chat model whose refusal
 * circuit is known: discovery from JailbreakBench finds it, m = 1 refuses, m = 0 complies, and the model with
 * m = 0 baked into its weights answers exactly as runtime steering does.
 */
class SnippetsOnPlantedModelTest {
    private static final int LAYERS = 6;
    private static final GenerationOptions SHORT = GenerationOptions.greedy(16); // planted answers: <= 9 tokens + EOS

    @TempDir
    static Path dir;
    static PlantedModelSpec planted;
    static PromptSet harmful;
    static Circuits.Outcome outcome;
    static String circuitsOutput;

    @BeforeAll
    static void runTheCircuitsSnippet() throws IOException {
        Path jbb = SharedData.jbb();
        harmful = PromptDatasets.jbb(jbb.resolve("harmful.csv"));
        planted = PlantedModel.builder().layers(LAYERS).writeTo(dir.resolve("planted"));
        Path out = Files.createDirectories(dir.resolve("out"));
        circuitsOutput = printed(() -> outcome = Circuits.run(planted.folder(), jbb, out));
    }

    @Test
    void discoveryReportsItsProgress() {
        assertThat(circuitsOutput).contains("positive 100/100", "negative 100/100");
    }

    @Test
    void usingItPrintsTheAnswerOfTheModel() throws IOException {
        int last = LAYERS - 1;
        assertThat(planted.gate()).as("the snippet's neuron must not be a planted gate neuron")
                .doesNotContain(NeuronId.of(last, 1023));
        assertThat(printed(() -> UsingIt.run(planted.folder())).strip()).isEqualTo(PlantedModel.COMPLIANCE);
    }

    @Test
    void discoveryFindsThePlantedGate() {
        assertThat(outcome.circuit().neuronIds()).containsAll(planted.gate());
        assertThat(outcome.circuit().neuronIds()).doesNotContainAnyElementsOf(planted.universal());
        assertThat(outcome.lateShare()).isGreaterThan(0);
    }

    @Test
    void atOneTheModelRefusesAndAtZeroItComplies() {
        assertThat(outcome.unchanged()).isEqualTo(PlantedModel.REFUSAL);
        assertThat(outcome.ablated()).isEqualTo(PlantedModel.COMPLIANCE);
        RefusalClassifier classifier = RefusalClassifier.defaults();
        try (JlamaSteerableModel model = JlamaModels.load(planted.folder())) {
            double unchanged = classifier.refusalRate(answers(model, harmful.prompts(), outcome.circuit().steer(1f)));
            double ablated = classifier.refusalRate(answers(model, harmful.prompts(), outcome.circuit().steer(0f)));
            System.out.printf("consumer: JBB harmful refusal %.2f at m = 1, %.2f at m = 0 (%d prompts)%n",
                    unchanged, ablated, harmful.size());
            assertThat(unchanged).isGreaterThanOrEqualTo(0.8);
            assertThat(ablated).isLessThanOrEqualTo(0.05);
        }
    }

    @Test
    void theBakedModelAnswersAsRuntimeSteeringDoes() {
        List<String> prompts = harmful.prompts().subList(0, 25);
        try (JlamaSteerableModel original = JlamaModels.load(planted.folder());
             JlamaSteerableModel baked = JlamaModels.load(outcome.bakedModel())) {
            Intervention ablate = outcome.circuit().steer(0f);
            assertThat(answers(baked, prompts, ActivationInterceptor.NONE)).isEqualTo(answers(original, prompts, ablate));
            float[] runtime = original.forward(Prompt.chat(prompts.get(0)), ablate).lastLogits();
            float[] weights = baked.forward(Prompt.chat(prompts.get(0)), ActivationInterceptor.NONE).lastLogits();
            assertThat(weights).hasSameSizeAs(runtime);
            for (int i = 0; i < runtime.length; i++) {
                assertThat(weights[i]).as("logit %d", i).isCloseTo(runtime[i], Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void theSavedCircuitLoadsBackForItsModel() throws IOException {
        try (JlamaSteerableModel model = JlamaModels.load(planted.folder())) {
            assertThat(Circuit.load(outcome.circuitFile(), model.info())).isEqualTo(outcome.circuit());
        }
    }

    interface Snippet {
        void run() throws IOException;
    }

    /** What {@code snippet} prints on System.out. */
    private static String printed(Snippet snippet) throws IOException {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            snippet.run();
        } finally {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static List<String> answers(JlamaSteerableModel model, List<String> prompts, Intervention steer) {
        return prompts.stream().map(p -> model.generate(Prompt.chat(p), SHORT, steer).text()).toList();
    }
}
