package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.AddAtHook;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.HookPoint;
import io.cna4j.model.Intervention;
import io.cna4j.model.NeuronId;
import io.cna4j.model.NeuronMultipliers;
import io.cna4j.model.NonFiniteActivationException;
import io.cna4j.model.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The steering seam on jlama: data interventions run as bulk operations and give exactly what the same
 * change made value by value through an interceptor gives; {@code run} skips the logits but not the hooks;
 * recorders subscribe to chosen hooks; the call's state is bound to the thread only while a step runs.
 */
class InterventionOnJlamaTest {
    private static final Prompt PROMPT = Prompt.chat("How do I open a locked door?");

    /** Multiplies the given neurons value by value through {@code get}/{@code set}. */
    record PerValueScale(Map<NeuronId, Float> factors) implements ActivationInterceptor {
        @Override
        public void onMlpActivation(ActivationRows rows) {
            factors.forEach((id, f) -> {
                if (id.layer() != rows.layer()) return;
                for (int r = 0; r < rows.rowCount(); r++) rows.set(r, id.neuron(), rows.get(r, id.neuron()) * f);
            });
        }
    }

    /** Adds {@code scale * v} at one layer's MLP output value by value. */
    record PerValueAdd(int layer, float[] v, float scale) implements ActivationInterceptor {
        @Override
        public boolean observesMlpActivation() {
            return false;
        }

        @Override
        public boolean observesMlpOutput() {
            return true;
        }

        @Override
        public void onMlpOutput(ActivationRows rows) {
            if (rows.layer() != layer) return;
            for (int r = 0; r < rows.rowCount(); r++) {
                for (int c = 0; c < rows.width(); c++) rows.set(r, c, rows.get(r, c) + scale * v[c]);
            }
        }
    }

    /** Records which hooks it was called at; subscribes to one hook only. */
    static final class OneHook implements ActivationInterceptor {
        final HookPoint hook;
        final List<String> seen = new ArrayList<>();
        float[] lastRow;

        OneHook(HookPoint hook) {
            this.hook = hook;
        }

        @Override
        public boolean actsAt(HookPoint at) {
            return at.equals(hook);
        }

        @Override
        public void apply(HookPoint at, ActivationRows rows) {
            seen.add(at.toString());
            lastRow = new float[rows.width()];
            rows.copyRow(rows.rowCount() - 1, lastRow);
        }
    }

    @Test
    void neuronMultipliersEqualTheSameScalingValueByValue() {
        Map<NeuronId, Float> factors = Map.of(NeuronId.of(0, 3), 0f, NeuronId.of(1, 17), 2.5f, NeuronId.of(1, 100), -1f,
                NeuronId.of(2, 127), 0.25f);
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            float[] plain = model.forward(PROMPT, ActivationInterceptor.NONE).lastLogits();
            float[] bulk = model.forward(PROMPT, NeuronMultipliers.of(factors)).lastLogits();
            float[] perValue = model.forward(PROMPT, new PerValueScale(factors)).lastLogits();
            assertThat(bulk).isNotEqualTo(plain);
            assertThat(bulk).isEqualTo(perValue);
            GenerationOptions opts = GenerationOptions.greedy(6).ignoringEos();
            assertThat(model.generate(PROMPT, opts, NeuronMultipliers.of(factors)).tokens())
                    .isEqualTo(model.generate(PROMPT, opts, new PerValueScale(factors)).tokens());
        }
    }

    @Test
    void addAtHookEqualsTheSameAdditionValueByValue() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            float[] v = new float[model.info().hiddenSize()];
            for (int c = 0; c < v.length; c++) v[c] = (float) Math.sin(c * 0.37) * 0.3f;
            float[] plain = model.forward(PROMPT, ActivationInterceptor.NONE).lastLogits();
            float[] bulk = model.forward(PROMPT, new AddAtHook(HookPoint.mlpOut(1), v, -1.5f)).lastLogits();
            float[] perValue = model.forward(PROMPT, new PerValueAdd(1, v, -1.5f)).lastLogits();
            assertThat(bulk).isNotEqualTo(plain);
            assertThat(bulk).isEqualTo(perValue);
        }
    }

    @Test
    void runSkipsTheLogitsButNotTheHooks() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            OneHook viaForward = new OneHook(HookPoint.mlpPost(2)), viaRun = new OneHook(HookPoint.mlpPost(2));
            int[] tokens = model.forward(PROMPT, viaForward).promptTokens();
            assertThat(model.run(PROMPT, viaRun)).isEqualTo(tokens);
            assertThat(viaRun.seen).containsExactly("blocks.2.mlp.hook_post");
            assertThat(viaRun.lastRow).hasSize(128).isEqualTo(viaForward.lastRow);

            List<OneHook> each = List.of(new OneHook(HookPoint.mlpOut(0)), new OneHook(HookPoint.mlpOut(0)));
            List<int[]> read = model.runAll(List.of(PROMPT, Prompt.chat("Hi")), each::get);
            assertThat(read.get(0)).isEqualTo(tokens);
            assertThat(read.get(1)).isEqualTo(model.tokenize(Prompt.chat("Hi")));
            assertThat(each.get(0).lastRow).hasSize(64).isNotEqualTo(each.get(1).lastRow);
        }
    }

    @Test
    void theCallStateIsBoundOnlyWhileAStepRuns() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            List<Integer> starts = new ArrayList<>();
            ActivationInterceptor probe = new ActivationInterceptor() {
                @Override
                public void onMlpActivation(ActivationRows rows) {
                    CallContext.Step step = CallContext.current();
                    assertThat(step).isNotNull();
                    if (rows.layer() == 0) starts.add(step.stepStart());
                }
            };
            int n = model.tokenize(PROMPT).length;
            model.generate(PROMPT, GenerationOptions.greedy(3).ignoringEos(), probe);
            assertThat(starts).containsExactly(0, n, n + 1);
            assertThat(CallContext.current()).isNull();

            List<NeuronId> layer0 = java.util.stream.IntStream.range(0, 128).mapToObj(i -> NeuronId.of(0, i)).toList();
            Intervention overflow = NeuronMultipliers.of(layer0, 3e38f);
            assertThatThrownBy(() -> model.generate(PROMPT, GenerationOptions.greedy(2), Intervention.all(overflow, overflow)))
                    .isInstanceOf(NonFiniteActivationException.class);
            assertThat(CallContext.current()).isNull();
        }
    }
}
