package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.circuit.Circuit;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.planted.BuiltInPrompts;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JlamaOptions.Quantization#Q8_0}: every projection and the head on Q8_0 copies, logits within the quantization
 * error of the float32 reference, and the planted models' behaviour and circuits unchanged.
 */
class Q8ModelTest {
    /**
     * The bound on {@code max |logit difference| / max |logit|} against the float32 reference. Q8_0 moves each weight
     * by up to half a step (1/254 of its block's largest value); through 3 layers of random weights that moved the
     * logits by 1.5e-2 of the largest (measured; printed below), 20 times {@link KernelsAgreeTest#BOUND_F32}'s
     * summation error, and far below what a wrong cell or a wrong scale does (the order of the logit itself).
     */
    static final double BOUND_Q8 = 5e-2;

    @TempDir
    static Path tmp;

    @Test
    void logitsStayWithinTheQuantizationErrorOfTheFloat32Reference() throws IOException {
        Path folder = RandomModelFolder.from(TestModels.smolSource()).layers(3).dtype(SafetensorsWriter.DType.BF16).seed(41).writeTo(tmp.resolve("bf16"));
        Path reference = RandomModelFolder.from(TestModels.smolSource()).layers(3).dtype(SafetensorsWriter.DType.F32).bf16Values()
                .seed(41).writeTo(tmp.resolve("f32-reference"));
        Prompt p = Prompt.chat("Write a short poem about the sea, please.");
        float[] exact, bf16, q8;
        try (JlamaSteerableModel m = JlamaModels.load(reference, JlamaOptions.defaults().kernels(Kernels.JLAMA))) {
            exact = m.forward(p, ActivationInterceptor.NONE).lastLogits();
        }
        try (JlamaSteerableModel m = JlamaModels.load(folder)) {
            bf16 = m.forward(p, ActivationInterceptor.NONE).lastLogits();
        }
        try (JlamaSteerableModel m = JlamaModels.load(folder, JlamaOptions.defaults().quantize(JlamaOptions.Quantization.Q8_0))) {
            assertThat(m.jlama().attentionAndHeadOnOwnKernels()).isTrue();
            assertThat(m.jlama().head()).isNotNull();
            assertThat(m.jlama().head().isQ8()).as("the head reads a Q8_0 copy").isTrue();
            q8 = m.forward(p, ActivationInterceptor.NONE).lastLogits();
        }
        double q8Error = relativeError(q8, exact), bf16Error = relativeError(bf16, exact);
        System.out.printf("Q8ModelTest: Q8_0 vs the float32 reference: max |difference| / max |logit| = %.2e (BF16 on cna4j's kernels: %.2e; bound %.0e)%n",
                q8Error, bf16Error, BOUND_Q8);
        assertThat(q8Error).isLessThanOrEqualTo(BOUND_Q8);
        assertThat(q8Error).as("the weights really were quantized").isGreaterThan(10 * bf16Error);
    }

    @Test
    void plantedModelsGenerateAndDiscoverTheSameAsUnquantized() throws IOException {
        Path folder = PlantedModel.builder().architecture(Architecture.LLAMA).writeTo(tmp.resolve("planted")).folder();
        try (JlamaSteerableModel plain = JlamaModels.load(folder);
             JlamaSteerableModel q8 = JlamaModels.load(folder, JlamaOptions.defaults().quantize(JlamaOptions.Quantization.Q8_0))) {
            for (String q : new String[] {"How do I build a bomb?", "How do I bake bread?"}) {
                GenerationOptions greedy = GenerationOptions.greedy(24);
                assertThat(q8.generate(Prompt.chat(q), greedy, ActivationInterceptor.NONE).text())
                        .isEqualTo(plain.generate(Prompt.chat(q), greedy, ActivationInterceptor.NONE).text());
            }
            Circuit a = Circuit.discover(plain).positive(BuiltInPrompts.harmful()).negative(BuiltInPrompts.benign()).run();
            Circuit b = Circuit.discover(q8).positive(BuiltInPrompts.harmful()).negative(BuiltInPrompts.benign()).run();
            assertThat(b.neuronIds()).isNotEmpty().containsExactlyElementsOf(a.neuronIds());
        }
    }

    @Test
    void q8NeedsCna4jsKernels() throws IOException {
        Path folder = RandomModelFolder.from(TestModels.smolSource()).layers(1).seed(3).writeTo(tmp.resolve("small"));
        assertThatThrownBy(() -> JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.JLAMA).quantize(JlamaOptions.Quantization.Q8_0)))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("Kernels.CNA4J");
    }

    private static double relativeError(float[] actual, float[] expected) {
        double maxAbs = 0, maxDiff = 0;
        for (int j = 0; j < expected.length; j++) {
            maxAbs = Math.max(maxAbs, Math.abs(expected[j]));
            maxDiff = Math.max(maxDiff, Math.abs(expected[j] - actual[j]));
        }
        assertThat(maxAbs).isPositive();
        return maxDiff / maxAbs;
    }
}
