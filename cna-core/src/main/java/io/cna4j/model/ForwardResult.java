package io.cna4j.model;

/**
 * The result of a forward pass over a prompt, without generation.
 *
 * @param promptTokens the prompt's token ids as the model saw them (chat-formatted, BOS included where used)
 * @param lastLogits   the next-token logits (before softmax) at the last prompt position, one per vocabulary entry
 */
public record ForwardResult(int[] promptTokens, float[] lastLogits) {

    /** The token with the highest logit at the last position (lowest id on ties). */
    public int argmax() {
        int best = 0;
        for (int i = 1; i < lastLogits.length; i++) {
            if (lastLogits[i] > lastLogits[best]) best = i;
        }
        return best;
    }
}
