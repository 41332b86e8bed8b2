package io.cna4j.gpu.pass;

import com.fasterxml.jackson.databind.JsonNode;
import io.cna4j.jlama.ModelFolder;
import io.cna4j.jlama.ModelLoadException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The numbers of a checked model folder that the device pass needs, read from its {@code config.json}.
 *
 * {@snippet :
 * ModelShape s = ModelShape.of(ModelFolder.open(folder));
 * s.kvWidth();   // numKeyValueHeads * headSize
 * }
 *
 * @param layers        transformer layers
 * @param hidden        residual width
 * @param intermediate  MLP neurons per layer
 * @param heads         attention heads
 * @param kvHeads       key/value heads (grouped-query attention when fewer than heads)
 * @param headSize      hidden / heads
 * @param vocab         vocabulary size
 * @param eps           RMSNorm epsilon
 * @param contextLength usable positions: {@code max_position_embeddings} less {@code 2 * (kvHeads - 1)}, the same
 *                      figure as the CPU model's, so that both report one {@code ModelInfo}
 * @param eosTokens     the end-of-sequence ids
 */
public record ModelShape(int layers, int hidden, int intermediate, int heads, int kvHeads, int headSize, int vocab,
                         float eps, int contextLength, List<Integer> eosTokens) {

    /**
     * @throws ModelLoadException for a configuration this backend cannot run (an activation other than SiLU)
     */
    public static ModelShape of(ModelFolder folder) {
        JsonNode c = folder.config();
        String act = c.path("hidden_act").asText("silu").toLowerCase(Locale.ROOT);
        if (!act.equals("silu") && !act.equals("swish")) {
            throw new ModelLoadException(folder.path().resolve("config.json") + ": hidden_act \"" + act
                    + "\" is not supported on the GPU backend (only silu)");
        }
        int hidden = folder.configInt("hidden_size");
        int heads = folder.configInt("num_attention_heads");
        int kv = c.has("num_key_value_heads") && !c.get("num_key_value_heads").isNull() ? c.get("num_key_value_heads").asInt() : heads;
        List<Integer> eos = new ArrayList<>();
        JsonNode e = c.get("eos_token_id");
        if (e != null && e.isArray()) e.forEach(n -> eos.add(n.asInt()));
        else if (e != null && e.canConvertToInt()) eos.add(e.asInt());
        int context = folder.configInt("max_position_embeddings") - 2 * (kv - 1);
        if (context < 2) {
            throw new ModelLoadException(folder.path().resolve("config.json") + ": max_position_embeddings leaves " + context
                    + " usable positions");
        }
        return new ModelShape(folder.configInt("num_hidden_layers"), hidden, folder.configInt("intermediate_size"), heads, kv,
                hidden / heads, folder.configInt("vocab_size"), (float) c.path("rms_norm_eps").asDouble(1e-6), context,
                List.copyOf(eos));
    }

    /** Width of one position's keys (or values): {@code kvHeads * headSize}. */
    public int kvWidth() {
        return kvHeads * headSize;
    }

    /** Width of one position's queries: {@code heads * headSize}. */
    public int qWidth() {
        return heads * headSize;
    }
}
