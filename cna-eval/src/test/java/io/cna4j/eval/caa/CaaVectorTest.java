package io.cna4j.eval.caa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.testing.FakeModel;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.AddAtHook;
import io.cna4j.model.ForwardResult;
import io.cna4j.model.Generation;
import io.cna4j.model.Intervention;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.SteerableModel;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.HookPoint;
import io.cna4j.model.Prompt;
import io.cna4j.progress.Progress;
import io.cna4j.testing.ArrayRows;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
        Intervention steer = v.steer(-2);
        assertThat(steer.actsAt(HookPoint.mlpOut(1))).isTrue();
        assertThat(steer.actsAt(HookPoint.mlpPost(1))).isFalse();
        steer.apply(HookPoint.mlpOut(1), new ArrayRows(1, rows, 5, 3));
        assertThat(rows[0]).containsExactly(2f, 0f, -1f);
        assertThat(rows[1]).containsExactly(3f, 1f, 0f);
        float[][] other = {{0, 0, 0}};
        steer.apply(HookPoint.mlpOut(0), new ArrayRows(0, other, 0, 3));
        assertThat(other[0]).containsExactly(-2f, -4f, -6f);
    }

    @Test
    void steeringIsOneAddAtHookPerLayerAndChecksTheModel() {
        CaaVector v = CaaVector.of(new double[][] {{1, 2, 3}, {-1, 0, 0.5}});
        Intervention.All all = (Intervention.All) v.steer(0.5);
        assertThat(all.parts()).hasSize(2);
        AddAtHook second = (AddAtHook) all.parts().get(1);
        assertThat(second.hook()).hasToString("blocks.1.hook_mlp_out");
        assertThat(second.vector()).containsExactly(-1f, 0f, 0.5f);
        assertThat(second.scale()).isEqualTo(0.5f);
        assertThatThrownBy(() -> v.steer(1).requireFits(new ModelInfo("one-layer", "Fake", 1, 4, 3, 10, 64, "fp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blocks.1.hook_mlp_out");
        assertThatThrownBy(() -> v.steer(1).requireFits(new ModelInfo("wide", "Fake", 2, 4, 8, 10, 64, "fp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width there is 8");
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
    void vectorBitsDoNotDependOnPromptOrderOrThreads() {
        // MLP outputs scaled per prompt over 13 orders of magnitude: plain double sums of these change with order
        List<String> harm = new ArrayList<>();
        List<String> okay = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            harm.add("bomb" + " x".repeat(n - 1));
            okay.add("bread" + " y".repeat((n * 7) % 40));
        }
        SteerableModel model = new ScaledOutputs(new FakeModel());
        CaaVector reference = CaaVector.compute(model, PromptSet.of("h", harm), PromptSet.of("b", okay), p -> {});
        Random random = new Random(7);
        boolean plainSumsDiffer = false;
        for (int threads : new int[] {1, 2, 3, 1, 4}) {
            List<String> h = new ArrayList<>(harm);
            List<String> b = new ArrayList<>(okay);
            Collections.shuffle(h, random);
            Collections.shuffle(b, random);
            CaaVector v = CaaVector.compute(model, PromptSet.of("h", h), PromptSet.of("b", b), threads, p -> {});
            for (int layer = 0; layer < FakeModel.LAYERS; layer++) {
                assertThat(bits(v.vector(layer))).as("threads %d, layer %d", threads, layer)
                        .containsExactly(bits(reference.vector(layer)));
            }
            plainSumsDiffer |= plainSum(h) != plainSum(harm);
        }
        assertThat(plainSumsDiffer).as("the data must be order-sensitive for plain doubles").isTrue();
        // each mean is the exact sum rounded once, divided by the count
        assertThat(reference.vector(1)[2]).isEqualTo(exactMean(harm) - exactMean(okay));
    }

    /** MLP output [2] of a prompt's last token: its position / 10 (see FakeModel), times the prompt's scale. */
    private static float lastOutput(String text) {
        int words = text.split(" ").length;
        return ((words + 2) / 10f) * ScaledOutputs.scale(text);
    }

    private static double plainSum(List<String> prompts) {
        double s = 0;
        for (String t : prompts) s += lastOutput(t);
        return s;
    }

    private static double exactMean(List<String> prompts) {
        BigDecimal exact = BigDecimal.ZERO;
        for (String t : prompts) exact = exact.add(new BigDecimal(lastOutput(t)));
        return exact.doubleValue() / prompts.size();
    }

    /** The fake model with every MLP output multiplied by a per-prompt power of ten. */
    private record ScaledOutputs(FakeModel inner) implements SteerableModel {
        static float scale(String text) {
            return (float) Math.pow(10, (text.split(" ").length % 13) - 8);
        }

        @Override
        public ForwardResult forward(Prompt prompt, Intervention intervention) {
            if (!(intervention instanceof ActivationInterceptor ic)) {
                throw new IllegalArgumentException("this fake scales outputs for recorders only, got " + intervention);
            }
            float scale = scale(prompt.text());
            return inner.forward(prompt, new ActivationInterceptor() {
                @Override
                public boolean observesMlpActivation() {
                    return ic.observesMlpActivation();
                }

                @Override
                public boolean observesMlpOutput() {
                    return true;
                }

                @Override
                public void onMlpActivation(ActivationRows rows) {
                    ic.onMlpActivation(rows);
                }

                @Override
                public void onMlpOutput(ActivationRows rows) {
                    for (int r = 0; r < rows.rowCount(); r++) {
                        for (int c = 0; c < rows.width(); c++) rows.set(r, c, rows.get(r, c) * scale);
                    }
                    if (ic.observesMlpOutput()) ic.onMlpOutput(rows);
                }
            });
        }

        @Override public ModelInfo info() { return inner.info(); }
        @Override public boolean hasChatTemplate() { return inner.hasChatTemplate(); }
        @Override public String format(Prompt prompt) { return inner.format(prompt); }
        @Override public int[] tokenize(Prompt prompt) { return inner.tokenize(prompt); }
        @Override public int[] encode(String text) { return inner.encode(text); }
        @Override public String decode(int[] tokens) { return inner.decode(tokens); }
        @Override public Generation generate(Prompt p, GenerationOptions o, Intervention iv) { return inner.generate(p, o, iv); }
        @Override public void close() {}
    }

    private static long[] bits(double[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Double.doubleToRawLongBits(values[i]);
        return out;
    }
}
