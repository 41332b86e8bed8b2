package io.cna4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCostTest {

    private static ModelCost cost(Path dir, String config) throws Exception {
        Files.writeString(dir.resolve("config.json"), config);
        return ModelCost.of(dir, 2);
    }

    @Test
    void countsThePublishedParameterTotals(@TempDir Path dir) throws Exception {
        ModelCost smol = cost(dir, """
                {"hidden_size":576,"intermediate_size":1536,"num_hidden_layers":30,"num_attention_heads":9,
                 "num_key_value_heads":3,"vocab_size":49152}""");
        assertThat(smol.layerMatmulParams() + smol.outputHeadParams()).isEqualTo(134_479_872L); // 134.5 M (tied)
        ModelCost llama = cost(dir, """
                {"hidden_size":2048,"intermediate_size":8192,"num_hidden_layers":16,"num_attention_heads":32,
                 "num_key_value_heads":8,"head_dim":64,"vocab_size":128256}""");
        assertThat(llama.layerMatmulParams() + llama.outputHeadParams()).isEqualTo(1_235_746_816L); // 1.24 B (tied)
        assertThat(llama.decodeWeightBytes()).isEqualTo(2 * 1_235_746_816L);
    }

    @Test
    void prefillCountsMatricesCausalAttentionAndOneOutputRow(@TempDir Path dir) throws Exception {
        ModelCost c = cost(dir, """
                {"hidden_size":8,"intermediate_size":16,"num_hidden_layers":2,"num_attention_heads":2,"vocab_size":10}""");
        long perLayer = 8 * 8 + 2 * 8 * 8 + 8 * 8 + 3 * 8 * 16;
        assertThat(c.prefillFlop(3)).isEqualTo(2L * 3 * 2 * perLayer + 4L * (2 * 4 * 2) * 6 + 2L * 10 * 8);
    }
}
