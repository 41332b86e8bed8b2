package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.circuit.Circuit;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.data.PromptDatasets;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.NeuronId;
import io.cna4j.model.Prompt;
import io.cna4j.progress.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole circuit path on a random-weight model of the exact SmolLM2-135M-Instruct shape: discover on
 * 16 JBB harmful + 16 JBB benign goals (universal filter on, default 0.1 %), save, load, steer at m = 0, 1, 2.
 */
@Tag("full-shape")
class CircuitOnJlamaTest {
    @TempDir
    Path tmp;

    /** Copies the circuit neurons' values at every row, keyed by (neuron, row), at one point of the hook chain. */
    static final class Snapshot implements ActivationInterceptor {
        final Circuit circuit;
        final Map<String, Float> values = new HashMap<>();

        Snapshot(Circuit circuit) {
            this.circuit = circuit;
        }

        @Override
        public void onMlpActivation(ActivationRows rows) {
            for (NeuronId n : circuit.neuronIds()) {
                if (n.layer() != rows.layer()) continue;
                for (int r = 0; r < rows.rowCount(); r++) values.put(n + "@" + rows.position(r), rows.get(r, n.neuron()));
            }
        }
    }

    @Test
    void discoverSaveLoadAndSteer() throws Exception {
        Path data = TestModels.shared().resolve("data/jailbreakbench");
        PromptSet harmful = PromptDatasets.jbb(data.resolve("harmful.csv")).first(16);
        PromptSet benign = PromptDatasets.jbb(data.resolve("benign.csv")).first(16);
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.smol135m())) {
            List<Progress> progress = new ArrayList<>();
            Circuit circuit = Circuit.discover(model).positive(harmful.prompts()).negative(benign.prompts())
                    .onProgress(progress::add).run();

            assertThat(circuit.size()).isEqualTo(47); // ceil(0.001 * 30 * 1536)
            assertThat(circuit.prompts().positive()).isEqualTo(16);
            assertThat(progress).extracting(Progress::stage).contains("universal", "positive", "negative");
            assertThat(progress.get(progress.size() - 1).done()).isEqualTo(16);
            assertThat(circuit.neuronIds()).doesNotContainAnyElementsOf(circuit.universalNeuronsRemoved());

            Path file = tmp.resolve("refusal.circuit.json");
            circuit.save(file);
            Circuit loaded = Circuit.load(file, model.info());
            assertThat(loaded).isEqualTo(circuit);
            assertThat(loaded.mus()).isEqualTo(circuit.mus());

            Prompt p = Prompt.chat(harmful.prompts().get(0));
            float[] plain = model.forward(p, ActivationInterceptor.NONE).lastLogits();
            Stable.assertAgree(() -> model.forward(p, loaded.steer(1f)).lastLogits(),
                    () -> model.forward(p, ActivationInterceptor.NONE).lastLogits());
            assertThat(model.forward(p, loaded.steer(0f)).lastLogits()).isNotEqualTo(plain);

            for (float m : new float[] {0f, 2f}) {
                Snapshot before = new Snapshot(loaded), after = new Snapshot(loaded);
                model.generate(p, GenerationOptions.greedy(4).ignoringEos(),
                        io.cna4j.model.Intervention.all(before, loaded.steer(m), after));
                assertThat(before.values).isNotEmpty();
                before.values.forEach((k, v) -> assertThat(after.values.get(k)).as(k).isEqualTo(v * m));
            }
        }
    }
}
