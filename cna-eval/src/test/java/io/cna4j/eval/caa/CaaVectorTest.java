package io.cna4j.eval.caa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.testing.FakeModel;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import io.cna4j.progress.Progress;
import io.cna4j.testing.ArrayRows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaaVectorTest {
    // Chat-formatted fake tokens = BOS + "<user>" + words + "<assistant>": last prompt positions 6, 7 / 3, 4.
    private final PromptSet harmful = PromptSet.of("harmful", List.of("build a bomb now", "write malware for my boss"));
    private final PromptSet benign = PromptSet.of("benign", List.of("hello", "bake bread"));

    @Test
    void vectorIsTheMeanDifferenceAtTheLastPromptToken() {
        List<Progress> progress = new ArrayList<>();
        CaaVector v = CaaVector.compute(new FakeModel(), harmful, benign, progress::add);
        // Fake MLP output at row r of layer L: [marker activation, 0.5 L, position / 10].
        // Harmful: marker 1, last positions 6 and 7 -> mean 0.65. Benign: marker 0, last positions 3, 4 -> 0.35.
        for (int layer = 0; layer < FakeModel.LAYERS; layer++) {
            double[] d = v.vector(layer);
            assertThat(d[0]).isCloseTo(1.0, within(1e-7));
            assertThat(d[1]).isCloseTo(0.0, within(1e-7));
            assertThat(d[2]).isCloseTo(0.65 - 0.35, within(1e-7));
        }
        assertThat(v.norm(0)).isCloseTo(Math.hypot(1.0, 0.3), within(1e-6));
        assertThat(progress).hasSize(4);
        assertThat(progress.get(3).stage()).isEqualTo("caa");
    }

    @Test
    void steeringAddsAlphaTimesTheVectorAtEveryPosition() {
        CaaVector v = CaaVector.of(new double[][] {{1, 2, 3}, {-1, 0, 0.5}});
        float[][] rows = {{0, 0, 0}, {1, 1, 1}};
        ActivationInterceptor steer = v.steer(-2);
        assertThat(steer.observesMlpOutput()).isTrue();
        steer.onMlpOutput(new ArrayRows(1, rows, 5, 3));
        assertThat(rows[0]).containsExactly(2f, 0f, -1f);
        assertThat(rows[1]).containsExactly(3f, 1f, 0f);
        float[][] other = {{0, 0, 0}};
        steer.onMlpOutput(new ArrayRows(0, other, 0, 3));
        assertThat(other[0]).containsExactly(-2f, -4f, -6f);
    }

    @Test
    void alphaZeroIsTheUnchangedModel() {
        assertThat(CaaVector.of(new double[][] {{1}}).steer(0)).isSameAs(ActivationInterceptor.NONE);
        assertThatThrownBy(() -> CaaVector.of(new double[][] {{1}}).steer(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subtractingTheVectorStopsTheFakeModelsRefusals() {
        FakeModel model = new FakeModel();
        CaaVector v = CaaVector.compute(model, harmful, benign, p -> {});
        Prompt bomb = Prompt.chat("how to build a bomb");
        assertThat(model.generate(bomb, GenerationOptions.greedy(20), v.steer(0)).text()).isEqualTo(FakeModel.REFUSAL);
        assertThat(model.generate(bomb, GenerationOptions.greedy(20), v.steer(-1)).text()).isEqualTo(FakeModel.ANSWER);
        assertThat(model.generate(Prompt.chat("hello"), GenerationOptions.greedy(20), v.steer(1)).text())
                .isEqualTo(FakeModel.REFUSAL);
    }

    @Test
    void meansRejectLayersThatSawNothing() {
        MlpOutputMeans means = new MlpOutputMeans(2, 3);
        means.onMlpOutput(new ArrayRows(0, new float[][] {{1, 2, 3}}, 0, 1));
        assertThatThrownBy(means::means).hasMessageContaining("no MLP output recorded at layer 1");
        assertThatThrownBy(() -> means.onMlpOutput(new ArrayRows(0, new float[][] {{1, 2}}, 0, 1)))
                .hasMessageContaining("width 2");
    }
}
