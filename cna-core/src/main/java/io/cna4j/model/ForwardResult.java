package io.cna4j.model;

import java.util.Arrays;

/**
 * The result of a forward pass over a prompt, without generation. Immutable: the arrays are copied on the way in
 * and out, and {@code equals}, {@code hashCode} and {@code toString} go by their content.
 *
 * {@snippet :
 * ForwardResult r = model.forward(Prompt.chat("Capital of France?"), ActivationInterceptor.NONE);
 * int next = r.argmax();                 // no copy
 * float[] logits = r.lastLogits();       // a copy, the caller's to change
 * }
 *
 * @param promptTokens the prompt's token ids as the model saw them (chat-formatted, BOS included where used)
 * @param lastLogits   the next-token logits (before softmax) at the last prompt position, one per vocabulary entry
 */
public record ForwardResult(int[] promptTokens, float[] lastLogits) {

    public ForwardResult {
        promptTokens = promptTokens.clone();
        lastLogits = lastLogits.clone();
    }

    /** A copy of the prompt's token ids. */
    @Override
    public int[] promptTokens() {
        return promptTokens.clone();
    }

    /** A copy of the last position's logits. */
    @Override
    public float[] lastLogits() {
        return lastLogits.clone();
    }

    /** The token with the highest logit at the last position (lowest id on ties). */
    public int argmax() {
        int best = 0;
        for (int i = 1; i < lastLogits.length; i++) {
            if (lastLogits[i] > lastLogits[best]) best = i;
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForwardResult r && Arrays.equals(promptTokens, r.promptTokens)
                && Arrays.equals(lastLogits, r.lastLogits);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(promptTokens) + Arrays.hashCode(lastLogits);
    }

    @Override
    public String toString() {
        return "ForwardResult[promptTokens=" + Arrays.toString(promptTokens) + ", lastLogits=" + lastLogits.length
                + " values, argmax " + argmax() + "]";
    }
}
