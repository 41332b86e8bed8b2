package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import io.cna4j.jlama.rope.JlamaRopeTable;
import io.cna4j.jlama.rope.RopeScaling;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * With no interceptor, or one that reads everything and changes nothing, the intercepted model's logits are
 * bit-identical to stock jlama's on the same folder and settings (once the JIT has settled: {@link Stable}).
 */
class ParityTest {
    private static final String QUESTION = "Write a short poem about the sea, please.";

    /** Reads every value at both hooks and writes each back unchanged. */
    static final class TouchEverything implements ActivationInterceptor {
        long seen;

        @Override
        public void onMlpActivation(ActivationRows rows) {
            touch(rows);
        }

        @Override
        public void onMlpOutput(ActivationRows rows) {
            touch(rows);
        }

        @Override
        public boolean observesMlpOutput() {
            return true;
        }

        private void touch(ActivationRows rows) {
            float[] row = new float[rows.width()];
            for (int r = 0; r < rows.rowCount(); r++) {
                rows.copyRow(r, row);
                for (int c = 0; c < row.length; c++) rows.set(r, c, row[c]);
                seen += row.length;
            }
        }
    }

    @Test
    void tinySmolMatchesStockJlama() {
        assertParity(TestModels.tinySmol(), 24);
    }

    @Test
    void tinyQwenMatchesStockJlama() {
        assertParity(TestModels.tinyQwen(), 24);
    }

    @Test
    void shardedBf16WeightsLoadAndMatchStockJlama(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path sharded = io.cna4j.jlama.fixtures.RandomModelFolder.from(TestModels.smolSource())
                .layers(3).hiddenSize(64).intermediateSize(128).heads(4, 2).scale(0.25f).seed(11)
                .dtype(io.cna4j.jlama.safetensors.SafetensorsWriter.DType.BF16).shards(3).writeTo(tmp.resolve("sharded"));
        assertThat(sharded.resolve("model.safetensors.index.json")).exists();
        assertThat(sharded.resolve("model.safetensors")).doesNotExist();
        assertParity(sharded, 8);
    }

    @Test
    @Tag("full-shape")
    void smolLm2_135mShapeMatchesStockJlama() {
        assertParity(TestModels.smol135m(), 6);
    }

    @Test
    @Tag("full-shape")
    void qwen25_05bShapeMatchesStockJlama() {
        assertParity(TestModels.qwen05b(), 3);
    }

    private static void assertParity(Path folder, int newTokens) {
        assertParity(folder, newTokens, JlamaOptions.Quantization.NONE);
    }

    private static void assertParity(Path folder, int newTokens, JlamaOptions.Quantization q) {
        java.util.Optional<DType> modelQ = switch (q) {
            case NONE -> java.util.Optional.empty();
            case Q4 -> java.util.Optional.of(DType.Q4);
            case I8 -> java.util.Optional.of(DType.I8);
            case Q8_0 -> throw new IllegalArgumentException("Q8_0 is cna4j's quantization: stock jlama has no counterpart");
        };
        AbstractModel stock = ModelSupport.loadModel(folder.toFile(), null, DType.F32, DType.I8, modelQ, java.util.Optional.empty());
        // JlamaModels.load installs Hugging Face's RoPE table (RopeScaling); give stock jlama the same one, so that
        // this test compares interception alone.
        JlamaRopeTable.rewrite(stock.getConfig(), RopeScaling.fromConfig(ModelFolder.open(folder).config(), folder.resolve("config.json")));
        try (JlamaSteerableModel ours = JlamaModels.load(folder, JlamaOptions.defaults().quantize(q).kernels(Kernels.JLAMA))) {
            Prompt prompt = Prompt.chat(QUESTION);
            // both sides run over cna4j's (Hugging Face's) ids: jlama 0.8.4's own tokenizer differs (README, Known jlama issues)
            int[] tokens = ours.tokenize(prompt);

            Stable.assertAgree(() -> ours.forward(prompt, ActivationInterceptor.NONE).lastLogits(), () -> stockLogits(stock, tokens));
            TouchEverything touch = new TouchEverything();
            Stable.assertAgree(() -> ours.forward(prompt, touch).lastLogits(), () -> stockLogits(stock, tokens));
            assertThat(touch.seen).isPositive();

            // Greedy generation: the same tokens as stock jlama's batched prefill and one-token forward passes.
            Generation g = ours.generate(prompt, GenerationOptions.greedy(newTokens).ignoringEos(), new TouchEverything());
            int[] stockTokens = stockGreedy(stock, tokens, newTokens);
            assertThat(g.tokens()).containsExactly(stockTokens);
            assertThat(g.text()).isEqualTo(ours.decode(stockTokens));
        } finally {
            stock.close();
        }
    }

    /** Stock jlama's greedy loop, as its {@code generate} runs it, over given ids. */
    static int[] stockGreedy(AbstractModel stock, int[] prompt, int count) {
        int[] out = new int[count];
        try (KvBufferCache.KvBuffer kv = new KvBufferCache(stock).getEphemeralKvBuffer();
             AbstractTensor logits = stock.makeDenseTensor(stock.getConfig().vocabularySize)) {
            int next;
            try (AbstractTensor last = stock.batchForward(prompt, 0, kv)) {
                next = stock.sample(last.slice(last.shape().first() - 1), 0f, 0f, logits);
            }
            for (int n = 0, pos = prompt.length; ; pos++) {
                out[n++] = next;
                if (n == count) return out;
                try (AbstractTensor output = stock.forward(next, pos, kv, java.util.Optional.empty())) {
                    next = stock.sample(output, 0f, 0f, logits);
                }
            }
        }
    }

    static float[] stockLogits(AbstractModel stock, int[] tokens) {
        try (KvBufferCache.KvBuffer kv = new KvBufferCache(stock).getEphemeralKvBuffer();
             AbstractTensor out = stock.batchForward(tokens, 0, kv);
             AbstractTensor logits = stock.makeDenseTensor(stock.getConfig().vocabularySize)) {
            stock.sample(out.slice(out.shape().first() - 1), 0f, 0f, logits);
            float[] r = new float[stock.getConfig().vocabularySize];
            for (int i = 0; i < r.length; i++) r[i] = logits.get(0, i);
            return r;
        }
    }

    /** Every logit within {@code relTol} of the largest expected magnitude (at least 1). */
    static void assertClose(float[] actual, float[] expected, double relTol) {
        assertThat(actual).hasSameSizeAs(expected);
        double scale = 1;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < actual.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= relTol * scale)) {
                throw new AssertionError("logit " + i + " differs: " + actual[i] + " vs " + expected[i] + " (tolerance " + relTol * scale + ")");
            }
        }
    }

    static void assertBitIdentical(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                throw new AssertionError("logit " + i + " differs: " + actual[i] + " vs stock " + expected[i]);
            }
        }
    }
}
