package io.cna4j.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.AddAtHook;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.HookPoint;
import io.cna4j.model.Intervention;
import io.cna4j.model.NeuronId;
import io.cna4j.model.NeuronMultipliers;
import io.cna4j.model.Prompt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each kind of intervention gives the CPU backend's result on the device: multipliers and added vectors (device
 * work), a custom interceptor (host round trip), and all of them combined in order; plus teacher forcing and the
 * model's input checks.
 */
class InterventionParityTest extends GpuTestBase {
    static final Prompt PROMPT = Prompt.chat("Name three rivers in Europe.");

    /** Sets neuron 5 of layer 1 to 4 at every row (a host interceptor that changes values). */
    static final class Pin implements ActivationInterceptor {
        @Override
        public void onMlpActivation(ActivationRows rows) {
            if (rows.layer() != 1) return;
            for (int r = 0; r < rows.rowCount(); r++) rows.set(r, 5, 4f);
        }
    }

    /** Copies the last prompt token's row per layer, as discovery's recorder does; declares it reads nothing else. */
    static final class LastRows implements ActivationInterceptor {
        final java.util.Map<Integer, float[]> rows = new java.util.TreeMap<>();
        final boolean declared;

        LastRows(boolean declared) {
            this.declared = declared;
        }

        @Override
        public void onMlpActivation(ActivationRows r) {
            for (int i = 0; i < r.rowCount(); i++) {
                if (!r.isLastPromptToken(i)) continue;
                float[] row = new float[r.width()];
                r.copyRow(i, row);
                rows.put(r.layer(), row);
            }
        }

        @Override
        public boolean readsLastPromptTokenOnly() {
            return declared;
        }
    }

    @Test
    void theDeviceGatheredLastTokenRowsAreTheHostPathsAndTheCpus() {
        LastRows cpuRows = new LastRows(false), hostRows = new LastRows(false), gathered = new LastRows(true);
        try (JlamaSteerableModel cpu = JlamaModels.load(GpuTestModels.tinySmol());
             GpuSteerableModel gpu = GpuModels.load(GpuTestModels.tinySmol())) {
            cpu.run(PROMPT, cpuRows);
            gpu.run(PROMPT, hostRows);
            gpu.run(PROMPT, Intervention.all(NeuronMultipliers.of(List.of(NeuronId.of(0, 1)), 1.5f), gathered));
            LastRows steered = new LastRows(false);
            gpu.run(PROMPT, Intervention.all(NeuronMultipliers.of(List.of(NeuronId.of(0, 1)), 1.5f), steered));
            assertThat(gathered.rows.keySet()).containsExactly(0, 1, 2);
            for (int l = 0; l < 3; l++) {
                assertThat(gathered.rows.get(l)).as("layer %d", l).containsExactly(steered.rows.get(l));
                float worst = 0;
                for (int c = 0; c < 128; c++) worst = Math.max(worst, Math.abs(hostRows.rows.get(l)[c] - cpuRows.rows.get(l)[c]));
                assertThat(worst).as("layer %d against the CPU", l).isLessThan(1e-4f);
            }
            assertThat(gathered.rows.get(0)[1]).isEqualTo(hostRows.rows.get(0)[1] * 1.5f);
        }
    }

    @Test
    void aPromptLongerThanOnePrefillStepMatchesTheCpu() {
        Prompt longPrompt = Prompt.chat("Summarise this: " + "the quick brown fox jumps over the lazy dog ".repeat(40));
        Intervention steer = NeuronMultipliers.of(List.of(NeuronId.of(1, 9)), 3f);
        try (JlamaSteerableModel cpu = JlamaModels.load(GpuTestModels.tinySmol());
             GpuSteerableModel gpu = GpuModels.load(GpuTestModels.tinySmol())) {
            assertThat(gpu.tokenize(longPrompt).length).isGreaterThan(GpuSteerableModel.MAX_BATCH);
            assertClose(gpu.forward(longPrompt, steer).lastLogits(), cpu.forward(longPrompt, steer).lastLogits(), "long prompt");
            assertThat(gpu.generate(longPrompt, GenerationOptions.greedy(6).ignoringEos(), steer).tokens())
                    .containsExactly(cpu.generate(longPrompt, GenerationOptions.greedy(6).ignoringEos(), steer).tokens());
        }
    }

    @Test
    void everyKindMatchesTheCpu() {
        float[] vec = new float[64];
        for (int i = 0; i < vec.length; i++) vec[i] = (float) Math.sin(i);
        float[] neuronVec = new float[128];
        for (int i = 0; i < neuronVec.length; i++) neuronVec[i] = (float) Math.cos(i);
        List<Intervention> cases = List.of(
                ActivationInterceptor.NONE,
                NeuronMultipliers.of(Map.of(NeuronId.of(0, 3), 0f, NeuronId.of(2, 100), 2.5f, NeuronId.of(2, 7), -1f)),
                new AddAtHook(HookPoint.mlpOut(1), vec, -0.75f),
                new AddAtHook(HookPoint.mlpPost(2), neuronVec, 0.5f),
                new Pin(),
                Intervention.all(new Pin(), NeuronMultipliers.of(List.of(NeuronId.of(1, 5)), 0.5f), new AddAtHook(HookPoint.mlpOut(2), vec, 1f)));
        try (JlamaSteerableModel cpu = JlamaModels.load(GpuTestModels.tinySmol());
             GpuSteerableModel gpu = GpuModels.load(GpuTestModels.tinySmol())) {
            float[] plain = gpu.forward(PROMPT, ActivationInterceptor.NONE).lastLogits();
            for (Intervention i : cases) {
                float[] c = cpu.forward(PROMPT, i).lastLogits(), g = gpu.forward(PROMPT, i).lastLogits();
                assertClose(g, c, i.toString());
                if (i != ActivationInterceptor.NONE) assertThat(g).as("%s changes the logits", i).isNotEqualTo(plain);
                assertThat(gpu.generate(PROMPT, GenerationOptions.greedy(8).ignoringEos(), i).tokens())
                        .as("generation with %s", i).containsExactly(cpu.generate(PROMPT, GenerationOptions.greedy(8).ignoringEos(), i).tokens());
            }
            int[] tokens = cpu.tokenize(PROMPT);
            float[][] c = cpu.logitsAt(tokens, tokens.length - 4, cases.get(1));
            float[][] g = gpu.logitsAt(tokens, tokens.length - 4, cases.get(1));
            assertThat(g.length).isEqualTo(4);
            for (int r = 0; r < 4; r++) assertClose(g[r], c[r], "logitsAt row " + r);

            assertThatThrownBy(() -> gpu.forward(PROMPT, NeuronMultipliers.of(List.of(NeuronId.of(9, 0)), 0f)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 layers");
            assertThatThrownBy(() -> gpu.logitsAt(tokens, tokens.length, ActivationInterceptor.NONE))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    static void assertClose(float[] gpu, float[] cpu, String what) {
        float max = 0, worst = 0;
        for (float v : cpu) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(cpu[i] - gpu[i]));
        assertThat(worst).as("%s: max |gpu - cpu| against max |cpu| %s", what, max).isLessThanOrEqualTo(1e-4f * (1 + max));
    }
}
