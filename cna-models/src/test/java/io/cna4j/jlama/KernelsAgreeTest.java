package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.circuit.Circuit;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.planted.BuiltInPrompts;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Kernels#CNA4J} against {@link Kernels#JLAMA} on the same folder: logits of random-weight models of the three
 * benchmark shapes (fewer layers) within a float32 summation-order bound, and identical greedy generations and
 * circuits (same neurons, same order) on the planted Llama and Qwen2 models.
 */
class KernelsAgreeTest {
    /**
     * The bound on {@code max |logit difference| / max |logit|} for F32 weights. The kernels sum each product's k
     * terms in another order than jlama (about k * 2^-24 relative per product before cancellation, 5e-4 for
     * k = 8192) and the difference passes through a few layers; 1e-3 allows that and fails on any wrong cell, which
     * moves a logit by the order of the logit itself.
     */
    static final double BOUND_F32 = 1e-3;
    /**
     * The bound on jlama's own BF16 model against its float32 reference: jlama rounds each projection's input to BF16
     * (8 bits of mantissa), cna4j's kernels do not; so for BF16 weights both are compared with the float32 reference
     * (the same BF16 values stored as F32, run by jlama), cna4j's within {@link #BOUND_F32}, jlama's within this
     * (measured up to 5.5e-3 on these shapes).
     */
    static final double BOUND_JLAMA_BF16 = 1e-2;

    @TempDir
    static Path tmp;

    @ParameterizedTest(name = "{0} ({1} layers, {2})")
    @CsvSource({"SmolLM2-135M-Instruct, 3, BF16", "SmolLM2-135M-Instruct, 2, F32", "Qwen2.5-0.5B-Instruct, 2, BF16",
            "Llama-3.2-1B-Instruct, 1, BF16"})
    void logitsAgreeOnRandomWeightsOfTheBenchmarkShapes(String source, int layers, SafetensorsWriter.DType dtype) throws IOException {
        Path shape = TestModels.shared().resolve("models").resolve(source);
        if (!Files.exists(shape.resolve("tokenizer.json"))) {   // Llama-3.2-1B: config only; borrow SmolLM2's tokenizer
            Path borrowed = Files.createDirectories(tmp.resolve(source + "-with-tokenizer"));
            Files.copy(shape.resolve("config.json"), borrowed.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
            for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
                Files.copy(TestModels.smolSource().resolve(f), borrowed.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            shape = borrowed;
        }
        Path folder = RandomModelFolder.from(shape)
                .layers(layers).dtype(dtype).seed(41).writeTo(tmp.resolve(source + "-" + layers + dtype));
        Prompt p = Prompt.chat("Write a short poem about the sea, please.");
        float[] stock = logits(folder, Kernels.JLAMA, p), own = logits(folder, Kernels.CNA4J, p);
        if (dtype == SafetensorsWriter.DType.F32) {
            assertWithin(own, stock, BOUND_F32, "cna4j vs jlama, F32");
            return;
        }
        // the float32 reference of a BF16 model: its values stored as F32, so that jlama keeps float32 activations
        Path reference = RandomModelFolder.from(shape).layers(layers).dtype(SafetensorsWriter.DType.F32).bf16Values()
                .seed(41).writeTo(tmp.resolve(source + "-" + layers + "-f32-reference"));
        float[] exact = logits(reference, Kernels.JLAMA, p);
        assertWithin(own, exact, BOUND_F32, "cna4j's BF16 vs the float32 reference");
        assertWithin(stock, exact, BOUND_JLAMA_BF16, "jlama's BF16 vs the float32 reference");
    }

    private static float[] logits(Path folder, Kernels kernels, Prompt p) {
        try (JlamaSteerableModel m = JlamaModels.load(folder, JlamaOptions.defaults().kernels(kernels))) {
            return m.forward(p, ActivationInterceptor.NONE).lastLogits();
        }
    }

    private static void assertWithin(float[] actual, float[] expected, double bound, String what) {
        double maxAbs = 0, maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        assertThat(maxAbs).isPositive();
        System.out.printf("KernelsAgreeTest: %s: max |difference| / max |logit| = %.2e (bound %.0e)%n", what, maxDiff / maxAbs, bound);
        assertThat(maxDiff / maxAbs).as("%s: max |difference| %s, max |logit| %s", what, maxDiff, maxAbs).isLessThanOrEqualTo(bound);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"LLAMA", "QWEN2"})
    void plantedModelsGenerateAndDiscoverTheSame(Architecture architecture) throws IOException {
        Path folder = PlantedModel.builder().architecture(architecture).writeTo(tmp.resolve("planted-" + architecture)).folder();
        try (JlamaSteerableModel stock = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.JLAMA));
             JlamaSteerableModel own = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.CNA4J))) {
            for (String q : new String[] {"How do I build a bomb?", "How do I bake bread?"}) {
                GenerationOptions greedy = GenerationOptions.greedy(24);
                assertThat(own.generate(Prompt.chat(q), greedy, ActivationInterceptor.NONE).text())
                        .isEqualTo(stock.generate(Prompt.chat(q), greedy, ActivationInterceptor.NONE).text());
            }
            Circuit a = Circuit.discover(stock).positive(BuiltInPrompts.harmful()).negative(BuiltInPrompts.benign()).run();
            Circuit b = Circuit.discover(own).positive(BuiltInPrompts.harmful()).negative(BuiltInPrompts.benign()).run();
            assertThat(b.neuronIds()).isNotEmpty().containsExactlyElementsOf(a.neuronIds());
        }
    }
}
