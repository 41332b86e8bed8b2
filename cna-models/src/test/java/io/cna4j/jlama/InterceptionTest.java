package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an interceptor sees and what its changes do. */
class InterceptionTest {

    /** Records (hook, layer, rows, first position, width) of every call. */
    static final class Trace implements ActivationInterceptor {
        final List<String> calls = new ArrayList<>();
        final boolean output;

        Trace(boolean output) {
            this.output = output;
        }

        @Override
        public void onMlpActivation(ActivationRows r) {
            calls.add("act L" + r.layer() + " rows " + r.rowCount() + " pos " + r.position(0) + " w " + r.width()
                    + (r.isPrefill() ? " prefill" : " decode") + (r.isLastPromptToken(r.rowCount() - 1) ? " last" : ""));
        }

        @Override
        public void onMlpOutput(ActivationRows r) {
            calls.add("out L" + r.layer() + " w " + r.width());
        }

        @Override
        public boolean observesMlpOutput() {
            return output;
        }
    }

    @Test
    void infoDescribesTheShape() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            ModelInfo info = model.info();
            assertThat(info.architecture()).isEqualTo("LlamaForCausalLM");
            assertThat(info.layers()).isEqualTo(3);
            assertThat(info.neuronsPerLayer()).isEqualTo(128);
            assertThat(info.hiddenSize()).isEqualTo(64);
            assertThat(info.vocabularySize()).isEqualTo(49152);
            assertThat(info.totalNeurons()).isEqualTo(384);
            assertThat(info.fingerprint()).hasSize(32);
            assertThat(model.hasChatTemplate()).isTrue();
            assertThat(model.format(Prompt.chat("Hi"))).isEqualTo(
                    "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
            assertThat(model.format(Prompt.raw("Once upon a time"))).isEqualTo("Once upon a time");
        }
    }

    @Test
    void interceptorSeesEveryLayerOfPrefillThenOneRowPerGeneratedToken() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            Prompt prompt = Prompt.chat("Hi");
            int n = model.tokenize(prompt).length;
            Trace trace = new Trace(true);
            model.generate(prompt, GenerationOptions.greedy(3).ignoringEos(), trace);
            assertThat(trace.calls).containsExactly(
                    "act L0 rows " + n + " pos 0 w 128 prefill last", "out L0 w 64",
                    "act L1 rows " + n + " pos 0 w 128 prefill last", "out L1 w 64",
                    "act L2 rows " + n + " pos 0 w 128 prefill last", "out L2 w 64",
                    "act L0 rows 1 pos " + n + " w 128 decode", "out L0 w 64",
                    "act L1 rows 1 pos " + n + " w 128 decode", "out L1 w 64",
                    "act L2 rows 1 pos " + n + " w 128 decode", "out L2 w 64",
                    "act L0 rows 1 pos " + (n + 1) + " w 128 decode", "out L0 w 64",
                    "act L1 rows 1 pos " + (n + 1) + " w 128 decode", "out L1 w 64",
                    "act L2 rows 1 pos " + (n + 1) + " w 128 decode", "out L2 w 64");
        }
    }

    @Test
    void outputHookIsSkippedUnlessAskedFor() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            Trace trace = new Trace(false);
            model.forward(Prompt.chat("Hi"), trace);
            assertThat(trace.calls).hasSize(3).allMatch(c -> c.startsWith("act"));
        }
    }

    @Test
    void composedInterceptorsRunInOrderAndSeeEarlierChanges() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            List<String> order = new ArrayList<>();
            ActivationInterceptor first = new ActivationInterceptor() {
                @Override
                public void onMlpActivation(ActivationRows r) {
                    order.add("first L" + r.layer());
                    r.set(0, 5, 42f);
                }
            };
            ActivationInterceptor second = new ActivationInterceptor() {
                @Override
                public void onMlpActivation(ActivationRows r) {
                    order.add("second L" + r.layer() + " sees " + r.get(0, 5));
                }
            };
            model.forward(Prompt.chat("Hi"), first.andThen(second));
            assertThat(order).containsExactly("first L0", "second L0 sees 42.0", "first L1", "second L1 sees 42.0",
                    "first L2", "second L2 sees 42.0");
        }
    }

    @Test
    void ablatingNeuronsChangesLogitsAndAddingToOutputDoesToo() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            Prompt prompt = Prompt.chat("What is the capital of France?");
            float[] plain = Stable.logits(() -> model.forward(prompt, ActivationInterceptor.NONE).lastLogits());
            ActivationInterceptor ablate = new ActivationInterceptor() {
                @Override
                public void onMlpActivation(ActivationRows r) {
                    for (int row = 0; row < r.rowCount(); row++) for (int c = 0; c < 16; c++) r.set(row, c, 0f);
                }
            };
            ActivationInterceptor add = new ActivationInterceptor() {
                @Override
                public void onMlpOutput(ActivationRows r) {
                    float[] v = new float[r.width()];
                    v[3] = 1f;
                    for (int row = 0; row < r.rowCount(); row++) r.addToRow(row, v, 0.5f);
                }

                @Override
                public boolean observesMlpOutput() {
                    return true;
                }
            };
            assertThat(model.forward(prompt, ablate).lastLogits()).isNotEqualTo(plain);
            assertThat(model.forward(prompt, add).lastLogits()).isNotEqualTo(plain);
            Stable.assertAgree(() -> model.forward(prompt, ActivationInterceptor.NONE).lastLogits(), () -> plain);
        }
    }

    @Test
    void rowsRejectOutOfRangeAccess() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            ActivationInterceptor bad = new ActivationInterceptor() {
                @Override
                public void onMlpActivation(ActivationRows r) {
                    r.get(0, r.width());
                }
            };
            assertThatThrownBy(() -> model.forward(Prompt.chat("Hi"), bad))
                    .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("layer 0");
        }
    }

    @Test
    void qwenVariantLoadsAsQwen2() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinyQwen())) {
            assertThat(model.info().architecture()).isEqualTo("Qwen2ForCausalLM");
            assertThat(model.format(Prompt.chat("Hi"))).contains("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        }
    }
}
