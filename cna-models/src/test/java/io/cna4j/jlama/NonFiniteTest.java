package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.Steering;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.NeuronId;
import io.cna4j.model.NonFiniteActivationException;
import io.cna4j.model.NonFiniteActivationException.Site;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NaN and infinite values, from the weights or from overflowing steering, are caught where they first appear
 * by forward, generate and discovery alike, as one exception type naming site, layer, position and prompt.
 */
class NonFiniteTest {
    private static final String PROMPT = "Tell me a story about a lighthouse keeper.";

    @TempDir
    Path tmp;

    private Path withValue(String name, String tensor, long index, float value) throws IOException {
        Path m = TestModels.copyOf(TestModels.tinySmol(), tmp.resolve(name));
        BrokenCopies.setFloat(m.resolve("model.safetensors"), tensor, index, value);
        return m;
    }

    private static List<String> prompts(String... texts) {
        return List.of(texts);
    }

    @Test
    void nanInTheFinalNorm() throws IOException {
        try (JlamaSteerableModel m = JlamaModels.load(withValue("norm", "model.norm.weight", 3, Float.NaN))) {
            int last = m.tokenize(Prompt.chat(PROMPT)).length - 1;
            assertThatThrownBy(() -> m.forward(Prompt.chat(PROMPT), ActivationInterceptor.NONE))
                    .isInstanceOfSatisfying(NonFiniteActivationException.class, e -> {
                        assertThat(e.site()).isEqualTo(Site.LOGITS);
                        assertThat(e.layer()).isEqualTo(-1);
                        assertThat(e.position()).isEqualTo(last);
                        assertThat(e.prompt()).isEqualTo(PROMPT);
                    })
                    .hasMessageContaining("NaN in the logits").hasMessageContaining("at position " + last)
                    .hasMessageContaining("lighthouse keeper");
            List<String> streamed = new ArrayList<>();
            assertThatThrownBy(() -> m.generate(Prompt.chat(PROMPT), GenerationOptions.greedy(8).streaming(streamed::add),
                    ActivationInterceptor.NONE))
                    .isInstanceOf(NonFiniteActivationException.class).hasMessageContaining("NaN in the logits");
            assertThat(streamed).isEmpty();
            // discovery runs forward passes without logits (SteerableModel.run), which still check the last
            // position's final norm: it fails instead of returning a normal-looking circuit
            assertThatThrownBy(() -> m.run(Prompt.chat(PROMPT), ActivationInterceptor.NONE))
                    .isInstanceOfSatisfying(NonFiniteActivationException.class, e -> {
                        assertThat(e.site()).isEqualTo(Site.FINAL_NORM);
                        assertThat(e.index()).isEqualTo(3);
                        assertThat(e.position()).isEqualTo(last);
                    })
                    .hasMessageContaining("NaN in the final norm's output (hidden dimension 3) at position " + last);
            assertThatThrownBy(() -> Circuit.discover(m).positive(prompts(PROMPT, "How do I pick a lock?"))
                    .negative(prompts("Write a poem about spring.", "What is the capital of France?")).includeUniversal().run())
                    .isInstanceOf(NonFiniteActivationException.class).hasMessageContaining("NaN in the final norm's output")
                    .hasMessageContaining("of positive prompt #0, prompt \"" + PROMPT);
        }
    }

    @Test
    void nanInALateDownProjection() throws IOException {
        // down_proj of the last layer (2 of 0..2): row 5 of the output, at every position
        try (JlamaSteerableModel m = JlamaModels.load(withValue("down", "model.layers.2.mlp.down_proj.weight", 5L * 128 + 7, Float.NaN))) {
            assertThatThrownBy(() -> m.forward(Prompt.chat(PROMPT), ActivationInterceptor.NONE))
                    .isInstanceOfSatisfying(NonFiniteActivationException.class, e -> {
                        assertThat(e.site()).isEqualTo(Site.MLP_OUTPUT);
                        assertThat(e.layer()).isEqualTo(2);
                        assertThat(e.index()).isEqualTo(5);
                        assertThat(e.position()).isZero();
                    })
                    .hasMessageContaining("NaN in the MLP output of layer 2 (hidden dimension 5) at position 0");
            assertThatThrownBy(() -> m.generate(Prompt.chat(PROMPT), GenerationOptions.greedy(8), ActivationInterceptor.NONE))
                    .isInstanceOf(NonFiniteActivationException.class).hasMessageContaining("layer 2");
        }
    }

    @Test
    void infinityInAnUpProjection() throws IOException {
        try (JlamaSteerableModel m = JlamaModels.load(withValue("up", "model.layers.1.mlp.up_proj.weight", 9L * 64, Float.POSITIVE_INFINITY))) {
            assertThatThrownBy(() -> m.forward(Prompt.chat(PROMPT), ActivationInterceptor.NONE))
                    .isInstanceOfSatisfying(NonFiniteActivationException.class, e -> {
                        assertThat(e.site()).isEqualTo(Site.MLP_ACTIVATION);
                        assertThat(e.layer()).isEqualTo(1);
                        assertThat(e.index()).isEqualTo(9);
                    })
                    .hasMessageContaining("in the MLP activation of layer 1 (neuron 9, blocks.1.mlp.hook_post[9])");
        }
    }

    @Test
    void overflowingSteeringIsCaughtByTheSameCheck() {
        try (JlamaSteerableModel m = JlamaModels.load(TestModels.tinySmol())) {
            List<NeuronId> some = List.of(NeuronId.of(1, 3), NeuronId.of(1, 40), NeuronId.of(2, 17));
            for (float huge : new float[] {1e30f, Float.MAX_VALUE}) {
                Intervention steer = Steering.scale(some, huge);
                assertThatThrownBy(() -> m.forward(Prompt.chat(PROMPT), steer)).as("multiplier %s", huge)
                        .isInstanceOfSatisfying(NonFiniteActivationException.class, e -> assertThat(e.layer()).isEqualTo(1));
                assertThatThrownBy(() -> m.generate(Prompt.chat(PROMPT), GenerationOptions.greedy(8), steer))
                        .as("multiplier %s", huge).isInstanceOf(NonFiniteActivationException.class);
            }
            // 1e30 keeps the activation finite; its down projection overflows what the next norm can square
            assertThatThrownBy(() -> m.forward(Prompt.chat(PROMPT), Steering.scale(some, 1e30f)))
                    .hasMessageContaining("overflowing value").hasMessageContaining("MLP output of layer 1");
            // Float.MAX_VALUE makes the activation itself infinite, right after the interceptor
            assertThatThrownBy(() -> m.forward(Prompt.chat(PROMPT), Steering.scale(some, Float.MAX_VALUE)))
                    .hasMessageContaining("Infinity in the MLP activation of layer 1").hasMessageStartingWith("infinite value");
            // large but harmless multipliers still run
            assertThat(m.generate(Prompt.chat(PROMPT), GenerationOptions.greedy(4).ignoringEos(), Steering.scale(some, 1e4f))
                    .tokens()).hasSize(4);
        }
    }
}
