package io.cna4j.jlama.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cna4j.jlama.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The golden ids and chat renderings of {@code golden.json}, written by {@code src/test/golden/generate-golden.mjs}
 * with Hugging Face's JavaScript tokenizers and Jinja (an implementation independent of the Rust one cna4j runs),
 * and the tokenizer folders they were computed from.
 */
final class Golden {
    static final String SMOL = "SmolLM2-135M-Instruct", QWEN = "Qwen2.5-0.5B-Instruct", LLAMA3 = "llama3-style";

    private Golden() {}

    static JsonNode data() {
        try (InputStream in = Objects.requireNonNull(Golden.class.getResourceAsStream("golden.json"), "golden.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder of a tokenizer named in golden.json. */
    static Path folder(String name) {
        return switch (name) {
            case SMOL -> TestModels.smolSource();
            case QWEN -> TestModels.qwenSource();
            case LLAMA3 -> llama3Style();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** A Llama-3-style tokenizer built for tests from the published format (Llama 3's split regex, header tokens, template). */
    static Path llama3Style() {
        try {
            return Path.of(Objects.requireNonNull(Golden.class.getResource("llama3-style/tokenizer.json")).toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
