package io.cna4j.jlama.rope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tjake.jlama.safetensors.Config;
import io.cna4j.jlama.ModelLoadException;

/**
 * Puts a {@link RopeScaling} into jlama's precomputed RoPE table, {@code Config.ropeFreqs}, in place.
 *
 * <p>jlama 0.8.4 keeps one {@code {cos, sin}} pair per position {@code p} in {@code [0, contextLength)} and
 * frequency {@code j} in {@code [0, headSize/2)} at index {@code p * headSize/2 + j}, built from
 * {@code theta^(-2j/headSize) / scaling} with a scaling other than 1 only for Llama's {@code linear} type.
 * {@link #rewrite} overwrites every pair with {@link RopeScaling#cos} and {@link RopeScaling#sin}, keeping the
 * layout. Every row stays the angle {@code p * inv_freq[j]} of its own index {@code p}: jlama's attention reads
 * head group {@code g}'s entries at row {@code p + 2g}, an offset shared by the query and the key of a
 * head that cancels in {@code q . k} only because the angles are linear in the row.
 *
 * {@snippet :
 * RopeScaling rope = RopeScaling.fromConfig(folder.config(), folder.path().resolve("config.json"));
 * Config config = JsonSupport.om.treeToValue(JlamaRopeTable.withRopeTheta(folder.config(), rope), LlamaConfig.class);
 * JlamaRopeTable.rewrite(config, rope);    // before the model is built on the config
 * }
 */
public final class JlamaRopeTable {
    private JlamaRopeTable() {}

    /**
     * {@code config.json} as jlama should parse it: unchanged when it has a top-level {@code rope_theta}, else a
     * copy with the theta {@code rope} uses. jlama's Qwen2 and Mistral configs build no RoPE table at all without
     * one (the model would run without positions), and transformers 5 may keep it only in {@code rope_parameters}.
     */
    public static JsonNode withRopeTheta(JsonNode config, RopeScaling rope) {
        JsonNode theta = config.get("rope_theta");
        if ((theta != null && theta.isNumber()) || !config.isObject()) return config;
        ObjectNode copy = ((ObjectNode) config).deepCopy();
        copy.put("rope_theta", rope.theta());
        return copy;
    }

    /**
     * Overwrites every entry of {@code config}'s RoPE table with {@code rope}'s values.
     *
     * @throws ModelLoadException naming the config file when jlama built no table, or one of another head size
     *                            (jlama's Llama and Qwen2 configs ignore {@code head_dim}) or length
     */
    public static void rewrite(Config config, RopeScaling rope) {
        float[][] table = config.ropeFreqs.orElseThrow(() -> new ModelLoadException(rope.source()
                + ": jlama built no RoPE table for this config (it needs a top-level rope_theta; see withRopeTheta)"));
        if (config.headSize != rope.headSize()) {
            throw new ModelLoadException(rope.source() + ": the RoPE head size is " + rope.headSize()
                    + " (head_dim, else hidden_size / num_attention_heads) but jlama uses " + config.headSize
                    + " (jlama 0.8.4 reads head_dim only for Mistral); cna4j cannot run this model on jlama");
        }
        int half = config.headSize / 2;
        if (table.length != (long) config.contextLength * half) {
            throw new ModelLoadException(rope.source() + ": jlama's RoPE table has " + table.length + " entries, expected "
                    + config.contextLength + " positions x " + half + " frequencies");
        }
        for (int p = 0; p < config.contextLength; p++) {
            int row = p * half;
            for (int j = 0; j < half; j++) {
                float[] entry = table[row + j];
                entry[0] = rope.cos(p, j);
                entry[1] = rope.sin(p, j);
            }
        }
    }
}
