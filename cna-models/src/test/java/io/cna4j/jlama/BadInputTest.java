package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every kind of bad input gets an exception that names the problem; none hangs or crashes the JVM. */
class BadInputTest {
    @TempDir
    Path tmp;

    private Path copy() throws IOException {
        return TestModels.copyOf(TestModels.tinySmol(), tmp.resolve("model"));
    }

    @ParameterizedTest
    @EnumSource(value = JlamaOptions.Quantization.class, names = {"Q4", "I8"})
    void quantizingAtLoadIsRefusedWithTheReason(JlamaOptions.Quantization q) {
        // jlama 0.8.4 would load the model and fail at the first forward pass (UnsupportedOperationException: BF16)
        assertThatThrownBy(() -> JlamaModels.load(TestModels.tinySmol(), JlamaOptions.defaults().quantize(q)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("quantizing at load (" + q + ")").hasMessageContaining("Known jlama issues");
    }

    @Test
    void missingFolder() {
        assertThatThrownBy(() -> JlamaModels.load(tmp.resolve("nope")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("nope").hasMessageContaining("does not exist");
    }

    @Test
    void fileInsteadOfFolder() throws IOException {
        Path m = copy();
        assertThatThrownBy(() -> JlamaModels.load(m.resolve("config.json")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("not a folder");
    }

    @Test
    void missingConfigTokenizerOrWeights() throws IOException {
        for (String f : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
            Path m = TestModels.copyOf(TestModels.tinySmol(), tmp.resolve("m-" + f));
            Files.delete(m.resolve(f));
            assertThatThrownBy(() -> JlamaModels.load(m)).as(f)
                    .isInstanceOf(ModelLoadException.class).hasMessageContaining(f.equals("model.safetensors") ? "no weights" : f);
        }
    }

    @Test
    void truncatedWeights() throws IOException {
        Path m = copy();
        Path w = m.resolve("model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(w.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertThatThrownBy(() -> JlamaModels.load(m))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("model.safetensors").hasMessageContaining("truncated");
    }

    @Test
    void corruptHeader() throws IOException {
        Path m = copy();
        Path w = m.resolve("model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(w.toFile(), "rw")) {
            f.seek(8);
            f.write("{not json at all".getBytes(StandardCharsets.US_ASCII));
        }
        assertThatThrownBy(() -> JlamaModels.load(m))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("not valid JSON");
        try (RandomAccessFile f = new RandomAccessFile(w.toFile(), "rw")) {
            f.seek(0);
            f.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0, 0, 0});
        }
        assertThatThrownBy(() -> JlamaModels.load(m))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("header length");
    }

    @Test
    void unsupportedArchitectureNamesTheSupportedOnes() throws IOException {
        Path m = copy();
        String cfg = Files.readString(m.resolve("config.json")).replace("\"llama\"", "\"gpt2\"");
        Files.writeString(m.resolve("config.json"), cfg);
        assertThatThrownBy(() -> JlamaModels.load(m))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("gpt2").hasMessageContaining("llama").hasMessageContaining("qwen2").hasMessageContaining("mistral");
    }

    @Test
    void configDisagreeingWithWeights() throws IOException {
        Path m = copy();
        String cfg = Files.readString(m.resolve("config.json")).replace("\"intermediate_size\" : 128", "\"intermediate_size\" : 256");
        Files.writeString(m.resolve("config.json"), cfg);
        assertThatThrownBy(() -> JlamaModels.load(m))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("config.json: intermediate_size is 256")
                .hasMessageContaining("gate_proj.weight has 128 rows");
    }

    @Test
    void missingShardNamedInTheIndex() throws IOException {
        Path m = RandomModelFolder.from(TestModels.smolSource()).layers(2).hiddenSize(32).intermediateSize(32).heads(2, 1)
                .shards(2).writeTo(tmp.resolve("sharded"));
        Files.delete(m.resolve("model-00002-of-00002.safetensors"));
        assertThatThrownBy(() -> JlamaModels.load(m))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("model-00002-of-00002.safetensors");
    }

    @Test
    void emptyPrompt() {
        assertThatThrownBy(() -> Prompt.chat("  ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void promptLongerThanContext() throws IOException {
        Path m = RandomModelFolder.from(TestModels.smolSource()).layers(1).hiddenSize(32).intermediateSize(32).heads(2, 1)
                .contextLength(48).writeTo(tmp.resolve("short"));
        try (JlamaSteerableModel model = JlamaModels.load(m)) {
            Prompt longPrompt = Prompt.chat("word ".repeat(100));
            assertThatThrownBy(() -> model.forward(longPrompt, ActivationInterceptor.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context holds 48");
            assertThatThrownBy(() -> model.generate(longPrompt, GenerationOptions.greedy(4), ActivationInterceptor.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context holds 48");
            // a prompt that fits but whose generation would not: stops cleanly when the context is full
            var g = model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(200).ignoringEos(), ActivationInterceptor.NONE);
            assertThat(g.finishReason()).isEqualTo(io.cna4j.model.Generation.FinishReason.CONTEXT_FULL);
            assertThat(g.promptTokens() + g.tokens().length).isLessThanOrEqualTo(48);
        }
    }

    @Test
    void chatPromptOnModelWithoutTemplate() throws IOException {
        Path m = copy();
        Files.delete(m.resolve("tokenizer_config.json"));
        try (JlamaSteerableModel model = JlamaModels.load(m)) {
            assertThat(model.hasChatTemplate()).isFalse();
            assertThatThrownBy(() -> model.format(Prompt.chat("Hi")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("Prompt.raw");
            assertThat(model.generate(Prompt.raw("Once upon a time"), GenerationOptions.greedy(2).ignoringEos(),
                    ActivationInterceptor.NONE).tokens()).hasSize(2);
        }
    }

    @Test
    void closedModelRefusesWork() {
        JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol());
        model.close();
        assertThatThrownBy(() -> model.forward(Prompt.chat("Hi"), ActivationInterceptor.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
