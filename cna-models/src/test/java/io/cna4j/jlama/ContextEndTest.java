package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The end of the context: jlama 0.8.4 reads its RoPE table {@code 2 * (kvHeads - 1)} positions ahead, so the
 * usable context is shorter than {@code max_position_embeddings}; calls are checked against it, and generation
 * that reaches it stops with CONTEXT_FULL and keeps what it produced; on jlama's kernels and on cna4j's (whose
 * attention indexes the table as jlama's does).
 */
class ContextEndTest {
    private static final String[] WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};

    @TempDir
    Path tmp;

    private Path model(String name, int hidden, int heads, int kvHeads) throws IOException {
        return RandomModelFolder.from(TestModels.smolSource()).layers(1).hiddenSize(hidden).intermediateSize(32)
                .heads(heads, kvHeads).contextLength(48).scale(0.25f).writeTo(tmp.resolve(name));
    }

    @Test
    void aContextWithNoUsablePositionIsRefusedAtLoad() throws IOException {
        Path m = RandomModelFolder.from(TestModels.smolSource()).layers(1).hiddenSize(64).intermediateSize(32)
                .heads(4, 2).contextLength(3).writeTo(tmp.resolve("ctx3"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JlamaModels.load(m)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(m.resolve("config.json") + ": max_position_embeddings 3 leaves 1 usable positions with 2 key/value heads");
    }

    /** A raw prompt of exactly {@code n} tokens. */
    private static Prompt promptOf(JlamaSteerableModel m, int n) {
        StringBuilder text = new StringBuilder("Count");
        for (int i = 0; ; i++) {
            int len = m.tokenize(Prompt.raw(text.toString())).length;
            if (len == n) return Prompt.raw(text.toString());
            assertThat(len).as("tokens of the prompt being built").isLessThan(n);
            text.append(' ').append(WORDS[i % WORDS.length]);
        }
    }

    @ParameterizedTest
    @EnumSource(Kernels.class)
    void groupedQueryAttentionLosesTwoPositionsPerExtraKeyValueHead(Kernels kernels) throws IOException {
        try (JlamaSteerableModel m = JlamaModels.load(model("gqa", 64, 4, 2), JlamaOptions.defaults().kernels(kernels))) {
            assertThat(m.info().contextLength()).isEqualTo(48 - 2);
            checkBoundary(m, 46);
        }
    }

    @ParameterizedTest
    @EnumSource(Kernels.class)
    void withoutGroupingEveryHeadCounts(Kernels kernels) throws IOException {
        try (JlamaSteerableModel m = JlamaModels.load(model("mha", 128, 4, 4), JlamaOptions.defaults().kernels(kernels))) {
            assertThat(m.info().contextLength()).isEqualTo(48 - 6);
            checkBoundary(m, 42);
        }
    }

    private static void checkBoundary(JlamaSteerableModel m, int usable) {
        assertThat(m.jlama().attentionAndHeadOnOwnKernels()).isEqualTo(m.jlama().kernels() == Kernels.CNA4J);
        // jlama itself (or cna4j's attention, which reads the same table entries): the last usable position runs, the next one reads past the RoPE table
        InterceptableLlama jlama = m.jlama();
        try (KvBufferCache.KvBuffer kv = jlama.newKvBuffer();
             AbstractTensor ok = jlama.forward(jlama.embed(5, usable - 1), usable - 1, kv, Optional.empty())) {
            assertThat(ok.shape().first()).isEqualTo(1);
        }
        try (KvBufferCache.KvBuffer kv = jlama.newKvBuffer()) {
            assertThatThrownBy(() -> jlama.forward(jlama.embed(5, usable), usable, kv, Optional.empty()))
                    .isInstanceOf(ArrayIndexOutOfBoundsException.class);
        }

        // forward: a prompt of exactly the usable length runs; one token more is refused by name
        assertThat(m.forward(promptOf(m, usable), ActivationInterceptor.NONE).promptTokens()).hasSize(usable);
        Prompt tooLong = promptOf(m, usable + 1);
        assertThatThrownBy(() -> m.forward(tooLong, ActivationInterceptor.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is " + (usable + 1) + " tokens")
                .hasMessageContaining("context holds " + usable);

        // generate: needs one free position; a full prompt is refused, one position less generates one token
        Prompt full = promptOf(m, usable);
        assertThatThrownBy(() -> m.generate(full, GenerationOptions.greedy(4), ActivationInterceptor.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context holds " + usable);
        Generation one = m.generate(promptOf(m, usable - 1), GenerationOptions.greedy(4).ignoringEos(), ActivationInterceptor.NONE);
        assertThat(one.tokens()).hasSize(1);
        assertThat(one.finishReason()).isEqualTo(Generation.FinishReason.CONTEXT_FULL);

        // generation that reaches the end stops there and keeps what it produced, streamed text included
        List<String> streamed = new ArrayList<>();
        Generation g = m.generate(promptOf(m, 10), GenerationOptions.greedy(200).ignoringEos().streaming(streamed::add),
                ActivationInterceptor.NONE);
        assertThat(g.finishReason()).isEqualTo(Generation.FinishReason.CONTEXT_FULL);
        assertThat(g.promptTokens() + g.tokens().length).isEqualTo(usable);
        assertThat(String.join("", streamed)).isEqualTo(g.text());

        // a limit far beyond the context allocates only what the context can hold
        Generation huge = m.generate(promptOf(m, 10), GenerationOptions.greedy(Integer.MAX_VALUE).ignoringEos(),
                ActivationInterceptor.NONE);
        assertThat(huge.finishReason()).isEqualTo(Generation.FinishReason.CONTEXT_FULL);
        assertThat(huge.tokens()).containsExactly(g.tokens());
    }
}
