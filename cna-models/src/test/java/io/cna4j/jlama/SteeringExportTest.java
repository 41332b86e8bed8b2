package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.circuit.Steering;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.NeuronId;
import io.cna4j.model.Prompt;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model with multipliers baked into down_proj computes what runtime steering computes. */
class SteeringExportTest {
    @TempDir
    Path tmp;

    @Test
    void bakedLogitsMatchRuntimeSteeringForZeroAndPowersOfTwo() throws Exception {
        Map<NeuronId, Float> m = Map.of(NeuronId.of(0, 3), 0f, NeuronId.of(1, 100), 2f, NeuronId.of(2, 7), 0.5f, NeuronId.of(2, 8), 0f);
        Path baked = SteeringExport.bake(TestModels.tinySmol(), tmp.resolve("baked"), m);
        Prompt p = Prompt.chat("How do rainbows form?");
        try (JlamaSteerableModel original = JlamaModels.load(TestModels.tinySmol());
             JlamaSteerableModel model = JlamaModels.load(baked)) {
            float[] plain = original.forward(p, ActivationInterceptor.NONE).lastLogits();
            assertThat(original.forward(p, Steering.multipliers(m)).lastLogits()).isNotEqualTo(plain);
            assertThat(model.info().fingerprint()).isNotBlank();
            Stable.assertAgree(() -> original.forward(p, Steering.multipliers(m)).lastLogits(),
                    () -> model.forward(p, ActivationInterceptor.NONE).lastLogits());
        }
    }

    @Test
    void refusesNeuronsOutsideTheModelAndAnExistingTarget() {
        assertThatThrownBy(() -> SteeringExport.bake(TestModels.tinySmol(), tmp.resolve("x"), Map.of(NeuronId.of(9, 0), 0f)))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("blocks.9.mlp.hook_post[0]");
        assertThatThrownBy(() -> SteeringExport.bake(TestModels.tinySmol(), tmp, Map.of(NeuronId.of(0, 0), 0f)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");
    }
}
