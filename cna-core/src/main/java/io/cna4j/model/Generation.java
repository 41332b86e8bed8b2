package io.cna4j.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The result of one generation. Immutable: {@code tokens} is copied on the way in and out, and {@code equals},
 * {@code hashCode} and {@code toString} go by its content.
 *
 * {@snippet :
 * Generation g = model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(16), ActivationInterceptor.NONE);
 * int n = g.tokenCount();        // no copy
 * int[] ids = g.tokens();        // a copy
 * }
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

    public Generation {
        tokens = tokens.clone();
    }

    /** A copy of the generated token ids. */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** How many tokens were generated (EOS excluded), without copying them. */
    public int tokenCount() {
        return tokens.length;
    }

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

    @Override
    public boolean equals(Object o) {
        return o instanceof Generation g && Objects.equals(text, g.text) && Arrays.equals(tokens, g.tokens)
                && finishReason == g.finishReason && promptTokens == g.promptTokens && prefillNanos == g.prefillNanos
                && decodeNanos == g.decodeNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, Arrays.hashCode(tokens), finishReason, promptTokens, prefillNanos, decodeNanos);
    }

    @Override
    public String toString() {
        return "Generation[text=" + text + ", tokens=" + Arrays.toString(tokens) + ", finishReason=" + finishReason
                + ", promptTokens=" + promptTokens + ", prefillNanos=" + prefillNanos + ", decodeNanos=" + decodeNanos + "]";
    }
}
