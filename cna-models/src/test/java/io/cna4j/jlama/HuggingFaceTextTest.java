package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loaded models read text through Hugging Face's tokenizer and template: BOS rules, non-ASCII text, streamed output. */
class HuggingFaceTextTest {

    @Test
    void qwenChatPromptsHaveNoExtraEndOfTextAndKeepJapanese() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinyQwen())) {
            String japanese = "日本の首都はどこですか？";
            int[] ids = model.tokenize(Prompt.chat(japanese));
            assertThat(ids[0]).isEqualTo(151644);                 // <|im_start|>
            assertThat(ids).doesNotContain(151643);                // config.json's bos_token_id, <|endoftext|>
            assertThat(model.decode(ids)).contains("user\n" + japanese + "\n");
            assertThat(model.format(Prompt.chat(japanese))).contains("<|im_start|>user\n" + japanese + "<|im_end|>");
            assertThat(model.encode("café")).containsExactly(924, 58858);
        }
    }

    @Test
    void llama3StyleModelGetsOneBeginOfTextForChatAndRawPrompts(@TempDir Path dir) throws IOException {
        try (JlamaSteerableModel model = JlamaModels.load(llama3StyleModel(dir))) {
            int bos = 327;
            int[] chat = model.tokenize(Prompt.chat("Hi"));
            assertThat(chat[0]).isEqualTo(bos);
            assertThat(Arrays.stream(chat).filter(i -> i == bos).count()).isEqualTo(1);
            assertThat(model.format(Prompt.chat("Hi"))).startsWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n")
                    .endsWith("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
            int[] raw = model.tokenize(Prompt.raw("Hello world"));
            assertThat(raw).startsWith(bos).hasSize(3);            // <|begin_of_text|> Hello Ġworld
        }
    }

    @Test
    void streamedPiecesJoinToTheDecodedText() {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinyQwen())) {
            List<String> pieces = new ArrayList<>();
            Generation g = model.generate(Prompt.chat("Écris un poème en japonais"),
                    GenerationOptions.greedy(40).ignoringEos().streaming(pieces::add), ActivationInterceptor.NONE);
            assertThat(String.join("", pieces)).isEqualTo(g.text());
            assertThat(g.text()).isEqualTo(model.decode(g.tokens()));
            assertThat(pieces).allSatisfy(p -> assertThat(p).isNotEmpty());
        }
    }

    /** A random-weight Llama 3.2-shaped model (small) with the test's Llama-3-style tokenizer and template. */
    static Path llama3StyleModel(Path dir) throws IOException {
        Path source = Files.createDirectories(dir.resolve("source"));
        Path tokenizer;
        try {
            tokenizer = Path.of(Objects.requireNonNull(HuggingFaceTextTest.class.getResource("text/llama3-style/tokenizer.json")).toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) Files.copy(tokenizer.resolve(f), source.resolve(f));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(TestModels.shared().resolve("models/Llama-3.2-1B-Instruct/config.json").toFile());
        config.put("vocab_size", 384).put("bos_token_id", 327).put("max_position_embeddings", 512);
        config.putArray("eos_token_id").add(331);
        config.remove("head_dim"); // 128 / 4 heads = 32, as the random weights are shaped
        json.writeValue(source.resolve("config.json").toFile(), config);
        return RandomModelFolder.from(source).layers(2).hiddenSize(128).intermediateSize(128).heads(4, 2).seed(5)
                .writeTo(dir.resolve("model"));
    }
}
