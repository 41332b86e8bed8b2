package io.cna4j.jlama;

import com.github.tjake.jlama.safetensors.prompt.PromptSupport;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.safetensors.tokenizer.TokenizerModel;
import io.cna4j.jlama.text.HfTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * jlama's {@link Tokenizer} over Hugging Face's ({@link HfTokenizer}), for jlama's model constructor, which
 * wants one and only stores it: cna4j's own call paths encode and decode through {@link HfTokenizer}
 * directly. So jlama's tokenizer parser (see README, "Known jlama issues") never reads the folder, and a
 * {@code tokenizer.json} it cannot parse does not stop a load. jlama's {@link TokenizerModel} and prompt
 * support, which only jlama's own generate loop uses, are not built.
 */
final class JlamaTokenizerBridge implements Tokenizer {
    private final HfTokenizer tokenizer;

    JlamaTokenizerBridge(HfTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public List<String> tokenize(String sentence) {
        return List.of(tokenizer.tokens(sentence));
    }

    @Override
    public long[] encode(String sentence) {
        return Arrays.stream(tokenizer.encode(sentence, false)).asLongStream().toArray();
    }

    @Override
    public String decode(long id) {
        return decode(new long[] {id});
    }

    @Override
    public String decode(long[] ids) {
        return tokenizer.decode(Arrays.stream(ids).mapToInt(Math::toIntExact).toArray(), false);
    }

    @Override
    public Optional<PromptSupport> promptSupport() {
        return Optional.empty();
    }

    @Override
    public TokenizerModel getModel() {
        throw new UnsupportedOperationException("cna4j tokenizes with Hugging Face's tokenizer (JlamaSteerableModel.tokenizer()); "
                + "jlama's TokenizerModel is not built");
    }
}
