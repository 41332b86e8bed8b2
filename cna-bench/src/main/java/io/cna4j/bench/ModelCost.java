package io.cna4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The arithmetic and weight traffic of a forward pass, from a model folder's {@code config.json}: what the
 * benchmarks divide by their times to report prefill GFLOP/s and decode GB/s.
 *
 * <ul>
 *   <li>Prefill of {@code T} tokens: {@code 2 * T * P} for the matrix products of the layers ({@code P} =
 *       parameters of q, k, v, o, gate, up and down over all layers), plus the causal attention products
 *       ({@code 2 * 2 * headDim * heads * T(T+1)/2} per layer: scores and weighted values), plus the
 *       output head once ({@code 2 * vocab * hidden}: jlama computes logits for the last position only).
 *       Norms, RoPE, softmax and activations are left out (well under 1 %).</li>
 *   <li>Decoding one token reads every weight of those products once, plus the output head
 *       ({@code (P + vocab * hidden) * bytesPerWeight}); the KV cache and the one embedding row are left out.</li>
 * </ul>
 *
 * @param layerMatmulParams the parameters of all layers' projection matrices
 * @param outputHeadParams  {@code vocab * hidden}
 * @param attentionWidth    {@code heads * headDim * layers}: the attention products' flops per key/query pair are {@code 4 *} this
 * @param bytesPerWeight    2 for BF16, 4 for F32
 */
record ModelCost(long layerMatmulParams, long outputHeadParams, long attentionWidth, int bytesPerWeight) {

    /** Reads the shape from {@code folder/config.json}; the weights' element size is given. */
    static ModelCost of(Path folder, int bytesPerWeight) {
        try {
            JsonNode c = new ObjectMapper().readTree(folder.resolve("config.json").toFile());
            long hidden = c.get("hidden_size").asLong();
            long inter = c.get("intermediate_size").asLong();
            long layers = c.get("num_hidden_layers").asLong();
            long heads = c.get("num_attention_heads").asLong();
            long kvHeads = c.has("num_key_value_heads") ? c.get("num_key_value_heads").asLong() : heads;
            long headDim = c.has("head_dim") ? c.get("head_dim").asLong() : hidden / heads;
            long vocab = c.get("vocab_size").asLong();
            long perLayer = hidden * heads * headDim       // q
                    + 2 * hidden * kvHeads * headDim         // k, v
                    + heads * headDim * hidden               // o
                    + 3 * hidden * inter;                    // gate, up, down
            return new ModelCost(layers * perLayer, vocab * hidden, heads * headDim * layers, bytesPerWeight);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + folder.resolve("config.json"), e);
        }
    }

    /** Floating-point operations of a prefill of {@code tokens} positions with logits for the last one. */
    long prefillFlop(int tokens) {
        long pairs = (long) tokens * (tokens + 1) / 2;
        return 2L * tokens * layerMatmulParams + 4L * attentionWidth * pairs + 2L * outputHeadParams;
    }

    /** Bytes of weights one decoded token reads. */
    long decodeWeightBytes() {
        return (layerMatmulParams + outputHeadParams) * bytesPerWeight;
    }
}
