package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.AddAtHook;
import io.cna4j.model.HookPoint;
import io.cna4j.model.Intervention;
import io.cna4j.model.NeuronMultipliers;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import io.cna4j.model.Prompt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SteeringTest {
    static final ModelInfo INFO = new ModelInfo("fake", "Fake", 3, 4, 8, 10, 64, "fp");

    /** (1, 2) mu = +2 and (2, 0) mu = -1. */
    static Circuit circuit() {
        return new Circuit(INFO,
                List.of(new CircuitNeuron(NeuronId.of(1, 2), 1, 2.0, 3.0, 1.0),
                        new CircuitNeuron(NeuronId.of(2, 0), 2, -1.0, 0.5, 1.5)),
                List.of(), new DiscoverySettings(null, 2, false, List.of(), false, 0.001, 0.8, true),
                new PromptCounts(3, 3, 0));
    }

    /** Rows of layer {@code layer}: two rows, value = 10 * row + column + 1. */
    static FakeModel.Rows rows(int layer) {
        float[][] r = new float[2][4];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) r[i][j] = 10 * i + j + 1;
        return new FakeModel.Rows(layer, 0, 2, r);
    }

    static float[][] steer(Intervention i, int layer) {
        FakeModel.Rows r = rows(layer);
        HookPoint at = HookPoint.mlpPost(layer);
        if (i.actsAt(at)) i.apply(at, r);
        return r.rows;
    }

    @Test
    void zeroAblatesTheCircuitNeuronsAtEveryRowAndNothingElse() {
        NeuronMultipliers ablate = circuit().steer(0f);
        assertThat(steer(ablate, 1)).isDeepEqualTo(new float[][] {{1, 2, 0, 4}, {11, 12, 0, 14}});
        assertThat(steer(ablate, 2)).isDeepEqualTo(new float[][] {{0, 2, 3, 4}, {0, 12, 13, 14}});
        assertThat(steer(ablate, 0)).isDeepEqualTo(rows(0).rows);
    }

    @Test
    void twoDoublesAndOneChangesNothing() {
        assertThat(steer(circuit().steer(2f), 1)).isDeepEqualTo(new float[][] {{1, 2, 6, 4}, {11, 12, 26, 14}});
        assertThat(circuit().steer(1f).isEmpty()).isTrue();
        assertThat(circuit().steer(1f).actsAt(HookPoint.mlpPost(1))).isFalse();
        assertThat(steer(circuit().steer(1f), 1)).isDeepEqualTo(rows(1).rows);
    }

    @Test
    void signAwareSteeringTouchesOnlyOneSide() {
        NeuronMultipliers pos = circuit().steerPositive(0f);
        assertThat(steer(pos, 1)[0][2]).isZero();
        assertThat(steer(pos, 2)[0][0]).isEqualTo(1f);
        NeuronMultipliers neg = circuit().steerNegative(3f);
        assertThat(steer(neg, 1)[0][2]).isEqualTo(3f);
        assertThat(steer(neg, 2)[1][0]).isEqualTo(33f);
    }

    @Test
    void perNeuronMultipliersAndCombinations() {
        NeuronMultipliers custom = Steering.multipliers(Map.of(NeuronId.of(1, 0), 0.5f, NeuronId.of(1, 3), -1f,
                NeuronId.of(0, 1), 1f));
        assertThat(steer(custom, 1)).isDeepEqualTo(new float[][] {{0.5f, 2, 3, -4}, {5.5f, 12, 13, -14}});
        assertThat(steer(custom, 0)).isDeepEqualTo(rows(0).rows);

        Intervention both = Steering.combine(circuit().steer(2f), custom, Steering.scale(List.of(NeuronId.of(1, 2)), 5f));
        assertThat(steer(both, 1)).isDeepEqualTo(new float[][] {{0.5f, 2, 30, -4}, {5.5f, 12, 130, -14}});
    }

    @Test
    void steersPromptAndGeneratedTokensThroughTheModel() {
        FakeModel model = new FakeModel(INFO, text -> new float[][] {{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}});
        GenerationOptions opts = GenerationOptions.greedy(3);
        String plain = model.generate(Prompt.chat("hi"), opts, ActivationInterceptor.NONE).text();
        // prefill: 3 layers x (2 decoy rows of 9999 + last row of 1s); steps: (1 + step) each
        assertThat(plain).isEqualTo(3 * (2 * 4 * 9999.0 + 4) + " " + 24.0 + " " + 36.0);
        assertThat(model.generate(Prompt.chat("hi"), opts, circuit().steer(1f)).text()).isEqualTo(plain);
        String ablated = model.generate(Prompt.chat("hi"), opts, circuit().steer(0f)).text();
        assertThat(ablated).isEqualTo((3 * (2 * 4 * 9999.0 + 4) - 2 * 9999 - 1 - 2 * 9999 - 1) + " " + (24.0 - 4) + " " + (36.0 - 6));
    }

    @Test
    void rejectsNonFiniteMultipliersAndWrongModels() {
        assertThatThrownBy(() -> circuit().steer(Float.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> Steering.multipliers(Map.of(NeuronId.of(0, 0), Float.POSITIVE_INFINITY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blocks.0.mlp.hook_post[0]");
        NeuronMultipliers far = Steering.scale(List.of(NeuronId.of(1, 9)), 0f);
        assertThatThrownBy(() -> far.apply(HookPoint.mlpPost(1), rows(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("blocks.1.mlp.hook_post[9]").hasMessageContaining("only 4");
    }

    @Test
    void multipliersAreSortedArraysPerLayerBuiltOnce() {
        NeuronMultipliers m = Steering.multipliers(Map.of(NeuronId.of(2, 3), 0.5f, NeuronId.of(2, 1), 2f,
                NeuronId.of(0, 0), 1f, NeuronId.of(4, 7), 0f));
        assertThat(m.size()).isEqualTo(3);
        assertThat(m.layerCount()).isEqualTo(5);
        assertThat(m.neurons(2)).containsExactly(1, 3);
        assertThat(m.factors(2)).containsExactly(2f, 0.5f);
        assertThat(m.neurons(0)).isEmpty();
        assertThat(m.factor(NeuronId.of(4, 7))).isZero();
        assertThat(m.factor(NeuronId.of(0, 0))).isEqualTo(1f);
        m.neurons(2)[0] = 99;   // a copy
        assertThat(m.neurons(2)).containsExactly(1, 3);
        assertThat(m.actsAt(HookPoint.mlpPost(2))).isTrue();
        assertThat(m.actsAt(HookPoint.mlpOut(2))).isFalse();
        assertThat(m.actsAt(HookPoint.mlpPost(3))).isFalse();
        assertThatThrownBy(() -> m.requireFits(INFO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blocks.4.mlp.hook_post[7]").hasMessageContaining("3 layers of 4");
    }

    @Test
    void hookPointsHaveTransformerLensNames() {
        assertThat(HookPoint.mlpOut(12)).hasToString("blocks.12.hook_mlp_out");
        assertThat(HookPoint.parse("blocks.27.mlp.hook_post")).isEqualTo(HookPoint.mlpPost(27));
        assertThat(HookPoint.parse(" blocks.3.hook_mlp_out ")).isEqualTo(HookPoint.mlpOut(3));
        assertThat(NeuronId.of(5, 9).hookPoint()).isEqualTo(HookPoint.mlpPost(5));
        assertThatThrownBy(() -> HookPoint.parse("blocks.3.hook_resid_post")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hook_resid_post");
        assertThatThrownBy(() -> HookPoint.mlpOut(3).requireFits(INFO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 layers");
    }

    @Test
    void addAtHookAddsAScaledVectorAtItsHookOnly() {
        AddAtHook add = new AddAtHook(HookPoint.mlpOut(1), new float[] {1, 0, -1, 2}, -2f);
        FakeModel.Rows r = rows(1);
        assertThat(add.actsAt(HookPoint.mlpPost(1))).isFalse();
        add.apply(HookPoint.mlpOut(1), r);
        assertThat(r.rows).isDeepEqualTo(new float[][] {{-1, 2, 5, 0}, {9, 12, 15, 10}});
        assertThatThrownBy(() -> add.requireFits(INFO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 values").hasMessageContaining("width there is 8");
        assertThatThrownBy(() -> new AddAtHook(HookPoint.mlpOut(0), new float[] {Float.NaN}, 1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void allFlattensAndDropsNone() {
        NeuronMultipliers a = circuit().steer(0f);
        assertThat(Intervention.all(a, ActivationInterceptor.NONE)).isSameAs(a);
        assertThat(Intervention.all()).isSameAs(ActivationInterceptor.NONE);
        Intervention nested = Intervention.all(a, Intervention.all(a, circuit().steer(2f)));
        assertThat(nested).isInstanceOf(Intervention.All.class);
        assertThat(((Intervention.All) nested).parts()).hasSize(3);
    }
}
