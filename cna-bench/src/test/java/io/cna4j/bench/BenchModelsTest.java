package io.cna4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchModelsTest {

    @Test
    void padsTheVocabularyAfterTheAddedTokensWithoutTouchingThem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"added_tokens":[{"id":3,"content":"<|im_end|>","special":true}],
                 "model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]}}""");
        dir.resolve("tokenizer.json").toFile().setReadOnly();

        BenchModels.padVocabulary(dir, 7);

        JsonNode t = new ObjectMapper().readTree(dir.resolve("tokenizer.json").toFile());
        assertThat(t.get("model").get("vocab").size()).isEqualTo(6);
        assertThat(t.get("model").get("vocab").get("<|reserved_4|>").asInt()).isEqualTo(4);
        assertThat(t.get("model").get("vocab").get("<|reserved_6|>").asInt()).isEqualTo(6);
        assertThat(t.get("model").get("merges")).hasSize(1);
        assertThat(t.get("added_tokens").get(0).get("id").asInt()).isEqualTo(3);
    }

    @Test
    void shapesAreFoundByTheirParameterValue() {
        assertThat(ModelShape.of("llama1b").configOverrides).containsEntry("vocab_size", 128256).containsEntry("num_hidden_layers", 16);
        assertThat(ModelShape.of("qwen05b").source).isEqualTo("Qwen2.5-0.5B-Instruct");
        assertThat(ModelShape.LLAMA1B.padsVocabulary()).isTrue();
        assertThat(ModelShape.SMOL135M.padsVocabulary()).isFalse();
    }
}
