package io.cna4j.jlama.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cna4j.jlama.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A model's {@code tokenizer.json}, run by Hugging Face's {@code tokenizers} library itself (the Rust
 * implementation, through DJL's maintained Java binding {@code ai.djl.huggingface:tokenizers}).
 *
 * <p>Normalizers, pre-tokenizers (including the ByteLevel regex split), the BPE model with byte-level
 * UTF-8, added and special tokens, post-processors and decoders all behave as
 * {@code transformers.AutoTokenizer} does in Python. Truncation and padding are off: every id of the text
 * is returned, however long. Instances are thread-safe; {@link #close()} frees the native tokenizer.
 *
 * {@snippet :
 * try (HfTokenizer t = HfTokenizer.load(Path.of("models/SmolLM2-135M-Instruct"))) {
 *     int[] ids = t.encode("You are a helpful assistant.", false); // [2683, 359, 253, 5356, 11173, 30]
 *     String text = t.decode(ids, true);                           // "You are a helpful assistant."
 * }
 * }
 */
public final class HfTokenizer implements AutoCloseable {
    /** The file this type reads in a model folder. */
    public static final String FILE = "tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> addedTokens;
    private final BitSet special;
    private final int size;
    private final Path source;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> addedTokens, BitSet special, int size, Path source) {
        this.tokenizer = tokenizer;
        this.addedTokens = addedTokens;
        this.special = special;
        this.size = size;
        this.source = source;
    }

    /**
     * Loads {@code tokenizer.json} from a model folder (or the file itself).
     *
     * @throws ModelLoadException naming the file when it is missing, not JSON, or not a tokenizer the library can build
     */
    public static HfTokenizer load(Path folderOrFile) {
        Path file = Files.isDirectory(folderOrFile) ? folderOrFile.resolve(FILE) : folderOrFile;
        if (!Files.isRegularFile(file)) throw new ModelLoadException(file + ": the tokenizer is missing");
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (json == null || !json.isObject() || !json.has("model")) {
            throw new ModelLoadException(file + ": not a Hugging Face tokenizer (no \"model\" object)");
        }
        Map<String, Integer> added = new HashMap<>();
        BitSet special = new BitSet();
        for (JsonNode t : json.path("added_tokens")) {
            if (!t.path("id").canConvertToInt() || t.get("id").asInt() < 0 || !t.path("content").isTextual()) {
                throw new ModelLoadException(file + ": an entry of \"added_tokens\" lacks a non-negative integer \"id\" or a \"content\": " + t);
            }
            added.put(t.get("content").asText(), t.get("id").asInt());
            if (t.path("special").asBoolean(false)) special.set(t.get("id").asInt());
        }
        HighestTokenId highest = HighestTokenId.of(json);
        if (highest.id() >= Integer.MAX_VALUE) {
            throw new ModelLoadException(file + ": token id " + highest.id() + " ('" + highest.token() + "') is too large");
        }
        int size = (int) highest.id() + 1;
        // only the options that turn off what Python's tokenizer does not do by default either
        Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
        try (InputStream in = Files.newInputStream(file)) {
            return new HfTokenizer(HuggingFaceTokenizer.newInstance(in, options), Map.copyOf(added), special, size, file);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) { // the native library's parse errors arrive as RuntimeExceptions
            throw new ModelLoadException(file + ": Hugging Face tokenizers cannot build it (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The ids of {@code text}.
     *
     * @param addSpecialTokens whether the tokenizer's post-processor adds its special tokens (e.g. Llama 3's
     *                         {@code <|begin_of_text|>}), as {@code tokenizer(text, add_special_tokens=...)} does;
     *                         special tokens written in the text itself are always recognised
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        Encoding e = tokenizer.encode(text, addSpecialTokens, false);
        long[] ids = e.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    /** The token strings of {@code text} (e.g. {@code [You, Ġare, Ġa]}), without the post-processor's special tokens. */
    public String[] tokens(String text) {
        return tokenizer.encode(text, false, false).getTokens();
    }

    /**
     * The text of {@code ids}, as {@code tokenizer.decode(ids, skip_special_tokens=...)} gives it.
     * Bytes of a multi-byte character split across the end of {@code ids} come out as U+FFFD.
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        return tokenizer.decode(l, skipSpecialTokens);
    }

    /** Whether {@code id} is an added token marked {@code "special": true} (end of sequence, role markers, ...). */
    public boolean isSpecial(int id) {
        return id >= 0 && special.get(id);
    }

    /** The id of an added token such as {@code <|im_end|>}, or empty. */
    public OptionalInt addedTokenId(String content) {
        Integer id = addedTokens.get(content);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * The number of ids the tokenizer can produce: the largest id of its vocabulary or added tokens, plus one.
     * A model's embedding may have more rows (padded), never fewer.
     */
    public int size() {
        return size;
    }

    /** The file this tokenizer was read from. */
    public Path source() {
        return source;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + source + ", " + addedTokens.size() + " added tokens, special " + Arrays.toString(special.stream().limit(8).toArray()) + "]";
    }
}
