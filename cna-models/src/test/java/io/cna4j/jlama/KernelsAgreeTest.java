package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.tensor.FloatBufferTensor;
import io.cna4j.circuit.Circuit;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.planted.BuiltInPrompts;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Generation;
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
 * benchmark shapes (fewer layers; all three group their query heads: {@link ContextEndTest} runs one that does not,
 * on both kernel sets) within a float32 summation-order bound, at the end of a prefill, at a decode step and for a
 * batch after a cached prefix, with the MLP, the attention and the output head on cna4j's kernels (BF16 models
 * against their float32 reference: jlama's BF16 path rounds activations, cna4j's does not); and identical
 * greedy generations and circuits (same neurons, same order) on the planted Llama and Qwen2 models.
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
     * The bound on jlama's own BF16 model against the float32 reference of the same weights: jlama rounds each
     * projection's input to BF16 (8 bits of mantissa), cna4j's kernels do not. So for BF16 weights both are compared
     * with the float32 reference (the same BF16 values stored as F32, run by jlama): cna4j's within
     * {@link #BOUND_F32}, jlama's within this (its rounding, not a summation order; measured up to 5.5e-3 on these
     * shapes).
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
        // the prompt's last logits (prefill), a decode step at the last position (one row reading the cached keys
        // and values of all earlier positions back) and a batch of rows after a cached prefix (teacher forcing)
        float[][] stock, own;
        try (JlamaSteerableModel m = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.JLAMA))) {
            assertThat(m.jlama().attentionAndHeadOnOwnKernels()).isFalse();
            stock = logits(m, p);
        }
        try (JlamaSteerableModel m = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.CNA4J))) {
            assertThat(m.jlama().attentionAndHeadOnOwnKernels()).as("attention and head on cna4j's kernels").isTrue();
            own = logits(m, p);
        }
        if (dtype == SafetensorsWriter.DType.F32) {
            assertWithin(own, stock, BOUND_F32, "cna4j vs jlama, F32");
            return;
        }
        // the float32 reference of a BF16 model: its values stored as F32, so that jlama keeps float32 activations
        Path reference = RandomModelFolder.from(shape).layers(layers).dtype(SafetensorsWriter.DType.F32).bf16Values()
                .seed(41).writeTo(tmp.resolve(source + "-" + layers + "-f32-reference"));
        float[][] exact;
        try (JlamaSteerableModel m = JlamaModels.load(reference, JlamaOptions.defaults().kernels(Kernels.JLAMA))) {
            exact = logits(m, p);
        }
        assertWithin(own, exact, BOUND_F32, "cna4j's BF16 vs the float32 reference");
        assertWithin(stock, exact, BOUND_JLAMA_BF16, "jlama's BF16 vs the float32 reference");
    }

    /** Each row of {@code actual} within {@code bound} of {@code expected}'s, relative to its largest logit. */
    private static void assertWithin(float[][] actual, float[][] expected, double bound, String what) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double maxAbs = 0, maxDiff = 0;
            for (int j = 0; j < expected[i].length; j++) {
                maxAbs = Math.max(maxAbs, Math.abs(expected[i][j]));
                maxDiff = Math.max(maxDiff, Math.abs(expected[i][j] - actual[i][j]));
            }
            assertThat(maxAbs).isPositive();
            assertThat(maxDiff / maxAbs).as("%s, row %d: max |difference| %s, max |logit| %s", what, i, maxDiff, maxAbs).isLessThanOrEqualTo(bound);
            worst = Math.max(worst, maxDiff / maxAbs);
        }
        System.out.printf("KernelsAgreeTest: %s: max |difference| / max |logit| = %.2e over %d rows (bound %.0e)%n", what, worst, expected.length, bound);
    }

    /** The prompt's last logits, then teacher-forced logits: its last position alone, then its second half. */
    private static float[][] logits(JlamaSteerableModel m, Prompt p) {
        int[] tokens = m.tokenize(p);
        float[] last = m.forward(p, ActivationInterceptor.NONE).lastLogits();
        float[][] step = m.logitsAt(tokens, tokens.length - 1, ActivationInterceptor.NONE);
        float[][] half = m.logitsAt(tokens, tokens.length / 2, ActivationInterceptor.NONE);
        float[][] out = new float[2 + half.length][];
        out[0] = last;
        out[1] = step[0];
        System.arraycopy(half, 0, out, 2, half.length);
        return out;
    }

    /**
     * A context of 48 positions, where jlama's key/value cache holds one position per page (so attention reads
     * every earlier position from another page) and the last usable positions read the RoPE table's last rows:
     * logits of the final positions and a generation that runs to the end of the context.
     */
    @ParameterizedTest(name = "{0} query heads, {1} key/value heads")
    @CsvSource({"4, 2", "4, 4"})
    void logitsAndGenerationAgreeUpToTheEndOfTheContext(int heads, int kvHeads) throws IOException {
        Path folder = RandomModelFolder.from(TestModels.smolSource()).layers(2).hiddenSize(128).intermediateSize(64)
                .heads(heads, kvHeads).contextLength(48).scale(0.25f).seed(7).writeTo(tmp.resolve("end-" + heads + "-" + kvHeads));
        float[][] stock, own;
        Generation stockText, ownText;
        try (JlamaSteerableModel m = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.JLAMA))) {
            stock = m.logitsAt(tokens(m.info().contextLength()), m.info().contextLength() - 6, ActivationInterceptor.NONE);
            stockText = m.generate(Prompt.raw("Count one two three"), GenerationOptions.greedy(100).ignoringEos(), ActivationInterceptor.NONE);
        }
        try (JlamaSteerableModel m = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.CNA4J))) {
            assertThat(m.jlama().attentionAndHeadOnOwnKernels()).isTrue();
            own = m.logitsAt(tokens(m.info().contextLength()), m.info().contextLength() - 6, ActivationInterceptor.NONE);
            ownText = m.generate(Prompt.raw("Count one two three"), GenerationOptions.greedy(100).ignoringEos(), ActivationInterceptor.NONE);
        }
        assertWithin(own, stock, BOUND_F32, "cna4j vs jlama, F32, end of the context");
        assertThat(ownText.finishReason()).isEqualTo(Generation.FinishReason.CONTEXT_FULL);
        assertThat(ownText.tokens()).containsExactly(stockText.tokens());
    }

    /** {@code n} token ids, all different, inside any vocabulary of 1000 or more. */
    private static int[] tokens(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = 100 + 7 * i;
        return t;
    }

    @Test
    void greedyHeadBreaksTiesAsJlamaDoes() {
        FloatBufferTensor logits = new FloatBufferTensor(1, 6);
        float[] values = {1f, 3f, Float.NaN, 3f, -2f, 3f};
        for (int i = 0; i < values.length; i++) logits.set(values[i], 0, i);
        assertThat(InterceptableLlama.firstMax(logits, 6)).as("the first of the largest, NaN skipped").isEqualTo(1);
        logits.set(Float.POSITIVE_INFINITY, 0, 5);
        assertThat(InterceptableLlama.firstMax(logits, 6)).isEqualTo(5);
        FloatBufferTensor nan = new FloatBufferTensor(1, 2);
        nan.set(Float.NaN, 0, 0);
        nan.set(Float.NaN, 0, 1);
        assertThat(InterceptableLlama.firstMax(nan, 2)).as("jlama's answer when no logit is a number").isEqualTo(Integer.MIN_VALUE);
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
