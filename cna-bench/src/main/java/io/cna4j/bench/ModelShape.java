package io.cna4j.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model shapes the benchmarks run on, by their {@code @Param} value. Each is a random-weight model
 * (BF16, as the real checkpoints are published) of a real model's exact shape, written by {@link BenchModels}.
 *
 * <ul>
 *   <li>{@code smol135m}: SmolLM2-135M-Instruct's config, tokenizer and chat template from {@code ../shared/models}.</li>
 *   <li>{@code qwen05b}: Qwen2.5-0.5B-Instruct's, likewise.</li>
 *   <li>{@code llama1b}: Llama-3.2-1B's shape from its published facts (hidden 2048, MLP 8192, 16 layers, 32
 *       heads, 8 key/value heads of 64, vocabulary 128,256, tied embeddings, RoPE theta 500,000, context
 *       131,072), written in code over SmolLM2's config. Llama 3's tokenizer is not in {@code ../shared}, so it
 *       uses SmolLM2's tokenizer and chat template (and SmolLM2's BOS/EOS ids), with the vocabulary padded to
 *       128,256 entries by reserved tokens, so that every id the random model emits decodes. Prompts therefore
 *       tokenize as SmolLM2's do (about as long as with Llama 3's tokenizer for English text).</li>
 * </ul>
 */
enum ModelShape {
    /** SmolLM2-135M-Instruct: 30 layers x 1,536 MLP neurons, hidden 576, 134.5 M parameters. */
    SMOL135M("smol135m", "SmolLM2-135M-Instruct", Map.of()),
    /** Qwen2.5-0.5B-Instruct: 24 layers x 4,864 MLP neurons, hidden 896, 494 M parameters. */
    QWEN05B("qwen05b", "Qwen2.5-0.5B-Instruct", Map.of()),
    /** Llama-3.2-1B: 16 layers x 8,192 MLP neurons, hidden 2,048, 1.24 B parameters. */
    LLAMA1B("llama1b", "SmolLM2-135M-Instruct", llama321b());

    /** The {@code @Param} value. */
    final String id;
    /** The folder under {@code ../shared/models} whose config and tokenizer the model starts from. */
    final String source;
    /** config.json fields written over the source's. */
    final Map<String, Object> configOverrides;

    ModelShape(String id, String source, Map<String, Object> configOverrides) {
        this.id = id;
        this.source = source;
        this.configOverrides = configOverrides;
    }

    /** The shape of a {@code @Param} value. */
    static ModelShape of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown model shape '" + id + "'; known: "
                        + Arrays.stream(values()).map(s -> s.id).toList()));
    }

    /** Whether the written config's vocabulary is larger than the borrowed tokenizer's, which is then padded. */
    boolean padsVocabulary() {
        return configOverrides.containsKey("vocab_size");
    }

    /** Llama-3.2-1B's config.json, from the model card and the published config (shape-defining fields only). */
    private static Map<String, Object> llama321b() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("LlamaForCausalLM"));
        c.put("model_type", "llama");
        c.put("hidden_size", 2048);
        c.put("intermediate_size", 8192);
        c.put("num_hidden_layers", 16);
        c.put("num_attention_heads", 32);
        c.put("num_key_value_heads", 8);
        c.put("head_dim", 64);
        c.put("vocab_size", 128256);
        c.put("tie_word_embeddings", true);
        c.put("max_position_embeddings", 131072);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 500000.0);
        c.put("rope_scaling", Map.of("rope_type", "llama3", "factor", 32.0, "low_freq_factor", 1.0,
                "high_freq_factor", 4.0, "original_max_position_embeddings", 8192));
        c.put("hidden_act", "silu");
        c.put("attention_bias", false);
        c.put("mlp_bias", false);
        return Map.copyOf(c);
    }
}
