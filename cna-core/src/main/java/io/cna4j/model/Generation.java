package io.cna4j.model;

/**
 * The result of one generation.
 *
 * @param text            the generated text, special tokens removed
 * @param tokens          the generated token ids, EOS excluded
 * @param finishReason    why generation stopped
 * @param promptTokens    number of tokens of the formatted prompt
 * @param prefillNanos    time of the prompt's forward pass
 * @param decodeNanos     time of the token-by-token passes
 */
public record Generation(
        String text, int[] tokens, FinishReason finishReason, int promptTokens, long prefillNanos, long decodeNanos) {

    /** Why generation stopped. */
    public enum FinishReason {
        /** The model emitted an end-of-sequence token. */
        EOS,
        /** {@link GenerationOptions#maxNewTokens()} were generated. */
        MAX_TOKENS,
        /** The model's context is full. */
        CONTEXT_FULL
    }

    /** Generated tokens per second of decoding, or 0 when nothing was decoded after the first token. */
    public double tokensPerSecond() {
        return decodeNanos <= 0 ? 0 : tokens.length * 1e9 / decodeNanos;
    }
}
