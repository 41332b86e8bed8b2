package io.cna4j.model;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one greedy generation.
 *
 * {@snippet :
 * GenerationOptions opts = GenerationOptions.greedy(150)        // at most 150 new tokens
 *         .streaming(piece -> System.out.print(piece));         // optional
 * }
 *
 * @param maxNewTokens most tokens to generate (>= 1)
 * @param stopAtEos    stop when the model emits one of its end-of-sequence tokens (default true)
 * @param onToken      receives each generated piece of text as it is decoded; null for none
 */
public record GenerationOptions(int maxNewTokens, boolean stopAtEos, @Nullable Consumer<String> onToken) {

    public GenerationOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
    }

    /** Greedy decoding of at most {@code maxNewTokens}, stopping at EOS, no streaming. */
    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(maxNewTokens, true, null);
    }

    /** The same options, streaming each decoded piece to {@code onToken}. */
    public GenerationOptions streaming(Consumer<String> onToken) {
        return new GenerationOptions(maxNewTokens, stopAtEos, onToken);
    }

    /** The same options, ignoring end-of-sequence tokens (always generates {@code maxNewTokens}). */
    public GenerationOptions ignoringEos() {
        return new GenerationOptions(maxNewTokens, false, onToken);
    }
}
