package io.cna4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImmutableResultsTest {
    @Test
    void forwardResultCopiesItsArraysInAndOut() {
        int[] tokens = {1, 2, 3};
        float[] logits = {0.5f, 2f, -1f};
        ForwardResult r = new ForwardResult(tokens, logits);
        tokens[0] = 99;
        logits[1] = -9f;
        r.lastLogits()[0] = 7f;
        r.promptTokens()[1] = 7;
        assertThat(r.promptTokens()).containsExactly(1, 2, 3);
        assertThat(r.lastLogits()).containsExactly(0.5f, 2f, -1f);
        assertThat(r.argmax()).isEqualTo(1);
    }

    @Test
    void forwardResultsAreEqualByContent() {
        ForwardResult a = new ForwardResult(new int[] {1, 2}, new float[] {0f, 1f});
        ForwardResult b = new ForwardResult(new int[] {1, 2}, new float[] {0f, 1f});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new ForwardResult(new int[] {1, 2}, new float[] {0f, 2f}));
        assertThat(a).isNotEqualTo(new ForwardResult(new int[] {1}, new float[] {0f, 1f}));
        assertThat(a.toString()).contains("[1, 2]").contains("argmax 1");
    }

    @Test
    void generationCopiesItsTokensAndIsEqualByContent() {
        int[] tokens = {5, 6};
        Generation g = new Generation("hi", tokens, Generation.FinishReason.EOS, 4, 10, 20);
        tokens[0] = 0;
        g.tokens()[1] = 0;
        assertThat(g.tokens()).containsExactly(5, 6);
        assertThat(g.tokenCount()).isEqualTo(2);
        Generation same = new Generation("hi", new int[] {5, 6}, Generation.FinishReason.EOS, 4, 10, 20);
        assertThat(g).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(g).isNotEqualTo(new Generation("hi", new int[] {5, 7}, Generation.FinishReason.EOS, 4, 10, 20));
        assertThat(g).isNotEqualTo(new Generation("hi", new int[] {5, 6}, Generation.FinishReason.MAX_TOKENS, 4, 10, 20));
        assertThat(g.toString()).contains("tokens=[5, 6]");
        assertThat(g.tokensPerSecond()).isEqualTo(2 * 1e9 / 20);
    }
}
