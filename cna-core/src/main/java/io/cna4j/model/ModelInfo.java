package io.cna4j.model;

import java.util.Objects;

/**
 * What a loaded model is: its name, architecture and the shape that circuits are written against.
 *
 * <p>{@link #fingerprint()} identifies the weights' shape and configuration (not their values): a circuit
 * file records it and refuses to load against a model with another.
 *
 * {@snippet class=io.cna4j.circuit.Snippets region=model-info}
 *
 * @param name            a human-readable name (the model folder's name or Hub id)
 * @param architecture    the architecture as the config names it, e.g. {@code LlamaForCausalLM}
 * @param layers          number of transformer layers
 * @param neuronsPerLayer MLP neurons per layer (the down projection's input width, {@code intermediate_size})
 * @param hiddenSize      the residual stream width (the down projection's output width)
 * @param vocabularySize  number of tokens
 * @param contextLength   the longest sequence (prompt + generated tokens) the model accepts; for a jlama model
 *                        this is {@code max_position_embeddings} less {@code 2 * (num_key_value_heads - 1)}
 *                        positions that jlama 0.8.4's RoPE table cannot serve (e.g. 2046 of 2048 with 2 key/value
 *                        heads)
 * @param fingerprint     a stable hex digest of the configuration and tensor shapes
 */
public record ModelInfo(
        String name,
        String architecture,
        int layers,
        int neuronsPerLayer,
        int hiddenSize,
        int vocabularySize,
        int contextLength,
        String fingerprint) {

    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (layers <= 0 || neuronsPerLayer <= 0 || hiddenSize <= 0 || vocabularySize <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("model dimensions must be positive: " + layers + " layers, "
                    + neuronsPerLayer + " neurons/layer, hidden " + hiddenSize + ", vocab " + vocabularySize
                    + ", context " + contextLength);
        }
    }

    /** All MLP neurons of the model: {@code layers * neuronsPerLayer}. */
    public long totalNeurons() {
        return (long) layers * neuronsPerLayer;
    }
}
