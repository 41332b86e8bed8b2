package io.cna4j.jlama;

import com.fasterxml.jackson.databind.JsonNode;
import io.cna4j.jlama.safetensors.TensorEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks every {@code config.json} field that fixes a tensor's shape against the safetensors headers, before
 * jlama maps a byte. jlama trusts the config: a {@code vocab_size} larger than the embedding's rows makes its
 * output head read past the mapped weights (the JVM dies with SIGSEGV), a smaller one or a wrong head count
 * runs and produces nonsense. Here each disagreement is a {@link ModelLoadException} naming
 * {@code config.json}, the field, its value and the tensor's size.
 *
 * <p>Checked, for the Llama layout (Llama, Qwen2, Mistral): {@code vocab_size} against the rows of
 * {@code model.embed_tokens.weight} and {@code lm_head.weight}; {@code hidden_size} against every tensor's
 * residual dimension and the norms; {@code num_attention_heads}, {@code num_key_value_heads} and
 * {@code head_dim} against q/k/v/o (and their biases, which must be present in every layer or none);
 * {@code intermediate_size} against gate/up/down; {@code num_hidden_layers} against the layers present
 * (missing ones and extra ones); {@code max_position_embeddings} against the memory of jlama's precomputed
 * RoPE table. Also the fields that would make every forward pass NaN or index outside the embedding:
 * {@code hidden_act} (one jlama knows), {@code rope_theta} (positive), {@code rms_norm_eps} (non-negative), {@code bos_token_id} and
 * {@code eos_token_id} (inside the vocabulary).
 *
 * {@snippet :
 * ConfigShapes.check(folder, config, tensors);   // throws ModelLoadException on the first disagreement
 * }
 */
final class ConfigShapes {
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\..*");
    /** Bytes per RoPE table entry in jlama: a {@code float[2]} object (16-byte header + 8) and its reference. */
    private static final long ROPE_BYTES_PER_ENTRY = 32;

    private static final List<String> SUPPORTED_DTYPES = List.of("F32", "F16", "BF16");
    private static final List<String> ACTIVATIONS = java.util.Arrays.stream(
            com.github.tjake.jlama.math.ActivationFunction.Type.values()).map(t -> t.name().toLowerCase(java.util.Locale.ROOT)).toList();

    private final Path config;
    private final JsonNode json;
    private final Map<String, TensorEntry> tensors;

    private ConfigShapes(Path folder, JsonNode json, Map<String, TensorEntry> tensors) {
        this.config = folder.resolve(ModelFolder.CONFIG);
        this.json = json;
        this.tensors = tensors;
    }

    /**
     * Checks the folder's tensors against its config.
     *
     * @throws ModelLoadException naming config.json, the field and both sizes at the first disagreement
     */
    static void check(Path folder, JsonNode config, Map<String, TensorEntry> tensors) {
        new ConfigShapes(folder, config, tensors).run();
    }

    private void run() {
        long hidden = positive("hidden_size");
        long inter = positive("intermediate_size");
        long layers = positive("num_hidden_layers");
        long heads = positive("num_attention_heads");
        long vocab = positive("vocab_size");
        long context = positive("max_position_embeddings");
        long kvHeads = json.has("num_key_value_heads") && !json.get("num_key_value_heads").isNull()
                ? positive("num_key_value_heads") : heads;
        if (hidden % heads != 0) {
            throw bad("hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        long headDim = hidden / heads;
        if (json.has("head_dim") && !json.get("head_dim").isNull()) {
            long declared = positive("head_dim");
            if (declared != headDim) {
                throw bad("head_dim is " + declared + " but jlama 0.8.4 uses hidden_size / num_attention_heads = "
                        + hidden + " / " + heads + " = " + headDim + " (models with another head size are not supported)");
            }
        }
        if (kvHeads > heads || heads % kvHeads != 0) {
            throw bad("num_key_value_heads " + kvHeads + " does not divide num_attention_heads " + heads);
        }
        double ropeBytes = (double) context * (headDim / 2) * ROPE_BYTES_PER_ENTRY;
        long heap = Runtime.getRuntime().maxMemory();
        if (ropeBytes > heap / 2) {
            throw bad("max_position_embeddings " + context + " needs a RoPE table of " + mib(ropeBytes)
                    + " (jlama precomputes one entry per position and frequency), more than half of this JVM's "
                    + mib(heap) + " heap");
        }
        JsonNode act = json.get("hidden_act");
        if (act == null || !act.isTextual() || !ACTIVATIONS.contains(act.textValue().toLowerCase(java.util.Locale.ROOT))) {
            throw bad("\"hidden_act\" is " + (act == null ? "missing" : act.toString()) + "; jlama knows " + String.join(", ", ACTIVATIONS));
        }
        number("rope_theta", false);
        number("rms_norm_eps", true);
        tokenId("bos_token_id", vocab);
        tokenId("eos_token_id", vocab);
        Dim h = new Dim(hidden, "hidden_size");
        Dim v = new Dim(vocab, "vocab_size");
        String headSize = "head size = hidden_size / num_attention_heads = " + hidden + " / " + heads;
        Dim q = new Dim(heads * headDim, "num_attention_heads x head size (" + heads + " x " + headDim + ", " + headSize + ")");
        Dim kv = new Dim(kvHeads * headDim, "num_key_value_heads x head size (" + kvHeads + " x " + headDim + ", " + headSize + ")");
        Dim i = new Dim(inter, "intermediate_size");

        expect("model.embed_tokens.weight", v, h);
        if (tensors.containsKey("lm_head.weight")) {
            expect("lm_head.weight", v, h);
        } else if (json.has("tie_word_embeddings") && json.get("tie_word_embeddings").isBoolean()
                && !json.get("tie_word_embeddings").booleanValue()) {
            throw bad("tie_word_embeddings is false but the weights have no lm_head.weight");
        }
        expect("model.norm.weight", h);
        checkLayerCount(layers);
        boolean qkvBias = tensors.containsKey("model.layers.0.self_attn.q_proj.bias");
        for (int l = 0; l < layers; l++) {
            String b = "model.layers." + l + ".";
            expect(b + "input_layernorm.weight", h);
            expect(b + "post_attention_layernorm.weight", h);
            expect(b + "self_attn.q_proj.weight", q, h);
            expect(b + "self_attn.k_proj.weight", kv, h);
            expect(b + "self_attn.v_proj.weight", kv, h);
            expect(b + "self_attn.o_proj.weight", h, q);
            if (qkvBias) {
                expect(b + "self_attn.q_proj.bias", q);
                expect(b + "self_attn.k_proj.bias", kv);
                expect(b + "self_attn.v_proj.bias", kv);
            } else if (tensors.containsKey(b + "self_attn.q_proj.bias")) {
                throw new ModelLoadException(config.getParent() + ": " + b + "self_attn.q_proj.bias is present but layer 0 has no "
                        + "q/k/v biases (every layer must have them, or none)");
            }
            expect(b + "mlp.gate_proj.weight", i, h);
            expect(b + "mlp.up_proj.weight", i, h);
            expect(b + "mlp.down_proj.weight", h, i);
        }
    }

    /** One expected dimension and the config fields that fix it. */
    private record Dim(long size, String fields) {}

    private void expect(String name, Dim... dims) {
        TensorEntry t = tensors.get(name);
        if (t == null) throw new ModelLoadException(config.getParent() + ": the weights lack " + name);
        if (!SUPPORTED_DTYPES.contains(t.dtype())) {
            throw new ModelLoadException(config.getParent() + ": " + name + " is stored as " + t.dtype() + "; cna4j loads "
                    + String.join(", ", SUPPORTED_DTYPES) + " weights");
        }
        List<Long> shape = t.shape();
        if (shape.size() != dims.length) {
            throw new ModelLoadException(config.getParent() + ": " + name + " has shape " + shape + " of " + shape.size()
                    + " dimensions; a " + dims.length + "-dimensional tensor is expected");
        }
        for (int d = 0; d < dims.length; d++) {
            if (shape.get(d) != dims[d].size()) {
                String which = dims.length == 1 ? "length" : d == 0 ? "rows" : "columns";
                throw bad(dims[d].fields() + " is " + dims[d].size() + " but " + name + " has " + shape.get(d) + " " + which
                        + " (shape " + shape + ")");
            }
        }
    }

    private void checkLayerCount(long layers) {
        long highest = -1;
        for (String name : tensors.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.matches()) {
                String digits = m.group(1);
                long l = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
                highest = Math.max(highest, l);
            }
        }
        if (highest >= layers) {
            throw bad("num_hidden_layers is " + layers + " but the weights hold layers up to model.layers." + highest
                    + " (" + (highest + 1) + " layers?)");
        }
        if (highest < layers - 1) {
            throw bad("num_hidden_layers is " + layers + " but the weights hold "
                    + (highest < 0 ? "no layers" : "layers 0.." + highest + " only (" + (highest + 1) + " layers)"));
        }
    }

    /** A number field, when present, must be finite and positive (or zero, when {@code zeroAllowed}). */
    private void number(String field, boolean zeroAllowed) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return;
        double v = n.isNumber() ? n.doubleValue() : Double.NaN;
        if (!Double.isFinite(v) || v < 0 || (v == 0 && !zeroAllowed) || (float) v == Float.POSITIVE_INFINITY) {
            throw bad("\"" + field + "\" is " + n + "; a finite " + (zeroAllowed ? "non-negative" : "positive") + " number is expected");
        }
    }

    /** A token id field (a number, or for eos a list of numbers), when present, must name a row of the embedding. */
    private void tokenId(String field, long vocab) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) return;
        for (JsonNode id : n.isArray() ? n : List.of(n)) {
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0 || id.intValue() >= vocab) {
                throw bad("\"" + field + "\" is " + n + "; token ids must be integers in 0.." + (vocab - 1) + " (vocab_size " + vocab + ")");
            }
        }
    }

    private long positive(String field) {
        JsonNode n = json.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() <= 0) {
            throw bad("\"" + field + "\" is " + (n == null ? "missing" : n.toString()) + "; a positive integer is expected");
        }
        return n.intValue();
    }

    private ModelLoadException bad(String what) {
        return new ModelLoadException(config + ": " + what);
    }

    private static String mib(double bytes) {
        return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / (1 << 20));
    }
}
