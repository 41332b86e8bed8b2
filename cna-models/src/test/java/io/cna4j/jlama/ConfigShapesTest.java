package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every config.json field that fixes a tensor's shape is checked against the safetensors headers before
 * jlama maps anything: a disagreement is a ModelLoadException naming config.json, the field and both sizes.
 */
class ConfigShapesTest {
    @TempDir
    Path tmp;

    private AbstractThrowableAssert<?, ? extends Throwable> loading(Path model) {
        return assertThatThrownBy(() -> JlamaModels.load(model)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(model.resolve("config.json").toString());
    }

    /** Without the check, jlama's output head reads 1024 rows past the mapped weights: SIGSEGV, exit 134. */
    @Test
    void vocabularyLargerThanTheWeightsIsRefusedInsteadOfCrashingTheJvm() throws Exception {
        Path planted = BrokenCopies.planted();
        assertThat(BrokenCopies.config(planted, "vocab_size").asInt()).isEqualTo(3072);
        Path broken = BrokenCopies.withConfig(planted, tmp.resolve("vocab4096"), "vocab_size", 4096);
        Path errorFile = tmp.resolve("hs_err.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-XX:ErrorFile=" + errorFile, "-cp", System.getProperty("java.class.path"),
                LoadAndForward.class.getName(), broken.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("forked JVM finished").isTrue();
        assertThat(p.exitValue()).as("exit status of the forked JVM; output:%n%s", out).isZero();
        assertThat(errorFile).doesNotExist();
        assertThat(out).contains("ModelLoadException: " + broken.resolve("config.json"))
                .contains("vocab_size is 4096").contains("model.embed_tokens.weight has 3072 rows");
    }

    @Test
    void vocabularySmallerThanTheWeights() throws IOException {
        Path m = BrokenCopies.withConfig(BrokenCopies.planted(), tmp.resolve("vocab2048"), "vocab_size", 2048);
        loading(m).hasMessageContaining("vocab_size is 2048").hasMessageContaining("model.embed_tokens.weight has 3072 rows");
    }

    @Test
    void vocabularySmallerThanTheTokenizers() throws IOException {
        // weights and config agree on 256 rows, but SmolLM2's tokenizer has ids up to 49151
        Path m = io.cna4j.jlama.fixtures.RandomModelFolder.from(TestModels.smolSource()).layers(1).hiddenSize(32)
                .intermediateSize(32).heads(2, 1).override("vocab_size", 256).override("bos_token_id", 1)
                .override("eos_token_id", 2).writeTo(tmp.resolve("vocab256"));
        loading(m).hasMessageContaining("vocab_size is 256 but tokenizer.json has token ids up to 49151");
    }

    @Test
    void keyValueHeadsDisagreeingWithKAndV() throws IOException {
        // tinySmol: hidden 64, 4 heads of 16, 2 key/value heads: k_proj and v_proj have 32 rows
        Path one = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("kv1"), "num_key_value_heads", 1);
        loading(one).hasMessageContaining("num_key_value_heads x head size (1 x 16")
                .hasMessageContaining("is 16 but model.layers.0.self_attn.k_proj.weight has 32 rows");
        Path four = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("kv4"), "num_key_value_heads", 4);
        loading(four).hasMessageContaining("num_key_value_heads x head size (4 x 16")
                .hasMessageContaining("is 64 but model.layers.0.self_attn.k_proj.weight has 32 rows");
        Path three = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("kv3"), "num_key_value_heads", 3);
        loading(three).hasMessageContaining("num_key_value_heads 3 does not divide num_attention_heads 4");
    }

    @Test
    void attentionHeadsDisagreeingWithTheProjections() throws IOException {
        // 2 heads of 32: q_proj still has 64 rows, but k_proj would need 2 x 32
        Path m = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("heads2"), "num_attention_heads", 2);
        loading(m).hasMessageContaining("num_key_value_heads x head size (2 x 32, head size = hidden_size / num_attention_heads = 64 / 2)")
                .hasMessageContaining("k_proj.weight has 32 rows");
    }

    @Test
    void headDimOtherThanHiddenOverHeads() throws IOException {
        Path m = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("headdim"), "head_dim", 32);
        loading(m).hasMessageContaining("head_dim is 32 but jlama 0.8.4 uses hidden_size / num_attention_heads = 64 / 4 = 16");
        Path same = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("headdim16"), "head_dim", 16);
        JlamaModels.load(same).close();   // a head_dim that agrees is fine
    }

    @Test
    void layerCountDisagreeingWithTheLayersPresent() throws IOException {
        Path more = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("layers4"), "num_hidden_layers", 4);
        loading(more).hasMessageContaining("num_hidden_layers is 4 but the weights hold layers 0..2 only (3 layers)");
        Path fewer = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("layers2"), "num_hidden_layers", 2);
        loading(fewer).hasMessageContaining("num_hidden_layers is 2 but the weights hold layers up to model.layers.2");
    }

    @Test
    void hiddenAndIntermediateSizes() throws IOException {
        Path hidden = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("hidden"), "hidden_size", 128);
        loading(hidden).hasMessageContaining("hidden_size is 128 but model.embed_tokens.weight has 64 columns");
        Path inter = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("inter"), "intermediate_size", 256);
        loading(inter).hasMessageContaining("intermediate_size is 256 but model.layers.0.mlp.gate_proj.weight has 128 rows");
    }

    @Test
    void missingBiasInOneLayer() throws IOException {
        Path m = TestModels.copyOf(TestModels.tinyQwen(), tmp.resolve("qwen"));
        BrokenCopies.editHeader(m.resolve("model.safetensors"), "model.layers.1.self_attn.k_proj.bias", "model.layers.1.self_attn.k_proj.bia_");
        assertThatThrownBy(() -> JlamaModels.load(m)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("the weights lack model.layers.1.self_attn.k_proj.bias");
    }

    @Test
    void untiedEmbeddingsWithoutAnOutputHead() throws IOException {
        Path m = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("untied"), "tie_word_embeddings", false);
        loading(m).hasMessageContaining("tie_word_embeddings is false but the weights have no lm_head.weight");
    }

    @Test
    void contextTooLongForTheHeap() throws IOException {
        Path m = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("ctx"), "max_position_embeddings", 2_000_000_000);
        loading(m).hasMessageContaining("max_position_embeddings 2000000000 needs a RoPE table of");
        Path zero = BrokenCopies.withConfig(TestModels.tinySmol(), tmp.resolve("ctx0"), "max_position_embeddings", 0);
        assertThatThrownBy(() -> JlamaModels.load(zero)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("\"max_position_embeddings\" is missing or not a positive integer");
    }

    @Test
    void unsupportedWeightType() throws IOException {
        Path m = TestModels.copyOf(TestModels.tinySmol(), tmp.resolve("i32"));
        // F32 and I32 have the same width, so the byte ranges still fit
        BrokenCopies.editHeader(m.resolve("model.safetensors"), "\"F32\"", "\"I32\"");
        assertThatThrownBy(() -> JlamaModels.load(m)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("is stored as I32; cna4j loads F32, F16, BF16 weights");
    }

    @Test
    void theIntactModelsStillLoad() {
        for (Path p : Stream.of(TestModels.tinySmol(), TestModels.tinyQwen(), BrokenCopies.planted()).toList()) {
            JlamaModels.load(p).close();
        }
        assertThat(new File(".").list((d, n) -> n.startsWith("hs_err"))).isEmpty();
    }
}
