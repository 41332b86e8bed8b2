package io.cna4j.jlama.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * Decodes generated ids into text one piece at a time, as a streaming chat client shows it: a piece is
 * released only when its characters are complete, so a multi-byte character whose UTF-8 bytes arrive in two
 * tokens (common for CJK text and emoji in byte-level BPE) is never shown as U+FFFD, and the pieces joined
 * equal {@code tokenizer.decode(allIds, skipSpecialTokens)}.
 *
 * <p>It follows the offsets method of Hugging Face's text-generation-inference: each step decodes a short
 * window of the latest ids twice (with and without the new one) and releases the difference, so the cost
 * per token does not grow with the length of the text, and decoders that treat the start of a text
 * specially (a SentencePiece leading space) see the same context as a whole-text decode.
 *
 * {@snippet :
 * TextStream stream = new TextStream(tokenizer, true);
 * for (int id : generatedIds) System.out.print(stream.next(id));
 * System.out.print(stream.finish());
 * }
 */
public final class TextStream {
    private final HfTokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] ids = new int[16];
    private int size;
    private int prefixOffset;
    private int readOffset;
    private final StringBuilder text = new StringBuilder();

    /** A stream over {@code tokenizer}; {@code skipSpecialTokens} as in {@link HfTokenizer#decode}. */
    public TextStream(HfTokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Adds one id; returns the text it completes (often the token's text, empty while a character is incomplete). */
    public String next(int id) {
        if (size == ids.length) ids = Arrays.copyOf(ids, size * 2);
        ids[size++] = id;
        String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset), skipSpecialTokens);
        String whole = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size), skipSpecialTokens);
        if (whole.length() > prefix.length() && !whole.endsWith("\uFFFD")) {
            String piece = whole.substring(prefix.length());
            prefixOffset = readOffset;
            readOffset = size;
            text.append(piece);
            return piece;
        }
        return "";
    }

    /**
     * Releases what is still held back (bytes of an unfinished character come out as U+FFFD, as a whole
     * decode gives them); call once after the last id.
     */
    public String finish() {
        String all = tokenizer.decode(Arrays.copyOf(ids, size), skipSpecialTokens);
        String rest = all.startsWith(text.toString()) ? all.substring(text.length()) : "";
        text.append(rest);
        prefixOffset = readOffset = size;
        return rest;
    }

    /** All text released so far. */
    public String text() {
        return text.toString();
    }
}
