package io.cna4j.eval.mmlu;

import io.cna4j.model.SteerableModel;
import java.util.Arrays;

/**
 * The token ids of the answer letters A-D and how they are scored from next-token logits.
 *
 * <p>After a prompt that ends in {@code "Answer:"}, tokenizers of the Llama/GPT family write the answer as
 * {@code " A"} (one token with a leading space), while some split it as a space token then {@code "A"}. Each letter
 * therefore has two candidate tokens, the last token of {@code encode(" A")} and the last token of
 * {@code encode("A")} (often the same), and its score is the larger of their logits. The chosen answer is the
 * letter with the highest score (the earlier letter on ties).
 *
 * {@snippet :
 * AnswerLetters letters = AnswerLetters.of(model);
 * int chosen = letters.choose(model.forward(Prompt.raw(MmluPrompts.zeroShot(q)), interceptor).lastLogits());
 * }
 */
public final class AnswerLetters {
    private final int[][] tokens;

    private AnswerLetters(int[][] tokens) {
        this.tokens = tokens;
    }

    /**
     * The letters' tokens as {@code model} encodes them.
     *
     * @throws IllegalStateException if a letter encodes to nothing or two letters share a token
     */
    public static AnswerLetters of(SteerableModel model) {
        int[][] tokens = new int[4][];
        for (int i = 0; i < 4; i++) {
            String letter = String.valueOf(MmluQuestion.LETTERS.charAt(i));
            int spaced = last(model.encode(" " + letter), " " + letter);
            int bare = last(model.encode(letter), letter);
            tokens[i] = spaced == bare ? new int[] {spaced} : new int[] {spaced, bare};
        }
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                for (int a : tokens[i]) {
                    for (int b : tokens[j]) {
                        if (a == b) {
                            throw new IllegalStateException("answer letters " + MmluQuestion.LETTERS.charAt(i) + " and "
                                    + MmluQuestion.LETTERS.charAt(j) + " share token " + a);
                        }
                    }
                }
            }
        }
        return new AnswerLetters(tokens);
    }

    private static int last(int[] ids, String text) {
        if (ids.length == 0) throw new IllegalStateException("'" + text + "' encodes to no tokens");
        return ids[ids.length - 1];
    }

    /** The candidate token ids of letter {@code index} (0 = A). */
    public int[] tokens(int index) {
        return tokens[index].clone();
    }

    /** The score of letter {@code index}: the largest logit among its tokens. */
    public float score(float[] logits, int index) {
        float best = Float.NEGATIVE_INFINITY;
        for (int t : tokens[index]) best = Math.max(best, logits[t]);
        return best;
    }

    /** The index (0-3) of the letter with the highest score; the earlier letter on ties. */
    public int choose(float[] logits) {
        int best = 0;
        for (int i = 1; i < 4; i++) {
            if (score(logits, i) > score(logits, best)) best = i;
        }
        return best;
    }

    @Override
    public String toString() {
        return "AnswerLetters" + Arrays.deepToString(tokens);
    }
}
