package io.cna4j.jlama.planted;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a small byte-level BPE tokenizer ({@code tokenizer.json}) and a ChatML chat template
 * ({@code tokenizer_config.json}) in the Hugging Face format, read by Hugging Face's tokenizers like any model's.
 *
 * <p>Vocabulary: the three special tokens ({@code <|endoftext|>} 0, {@code <|im_start|>} 1, {@code <|im_end|>} 2),
 * the 256 byte symbols of GPT-2's byte-to-unicode map, then every prefix of {@code "Ġ" + word} for each word.
 * Merges only ever extend a token that starts with {@code Ġ} (the space symbol), so a space-led word in the
 * list always becomes exactly one token, whatever the other words are; words not in the list fall into
 * shorter pieces. A normalizer puts a space after each newline, so a message's first word is space-led too.
 * A few sentence-initial words (those of the answers) are added as whole tokens without the space.
 */
final class OwnTokenizer {
    static final String SPACE = "\u0120";
    static final String TEMPLATE = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
            + "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
            + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    private static final List<String> SPECIALS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

    private OwnTokenizer() {}

    /**
     * Writes both files into {@code folder}; returns the vocabulary size.
     *
     * @param spaceLed words kept whole after a space
     * @param bare     words kept whole as tokens without a space (never produced by merges; for answers)
     */
    static int write(Path folder, Collection<String> spaceLed, Collection<String> bare) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : SPECIALS) vocab.put(s, vocab.size());
        for (int b : byteSymbols()) vocab.putIfAbsent(Character.toString(b), vocab.size());
        List<String> merges = new ArrayList<>();
        Set<String> seenMerges = new LinkedHashSet<>();
        for (String word : spaceLed) {
            String w = toSymbols(word);
            String prefix = SPACE;
            for (int i = 0; i < w.length(); ) {
                int cp = w.codePointAt(i);
                String c = Character.toString(cp);
                i += Character.charCount(cp);
                String merged = prefix + c;
                String merge = prefix + " " + c;
                if (!vocab.containsKey(c)) vocab.put(c, vocab.size());
                if (seenMerges.add(merge)) merges.add(merge);
                vocab.putIfAbsent(merged, vocab.size());
                prefix = merged;
            }
        }
        for (String word : bare) { // ranked after every space-led merge, so they never split a listed word
            String w = toSymbols(word);
            String prefix = w.substring(0, w.offsetByCodePoints(0, 1));
            for (int i = prefix.length(); i < w.length(); ) {
                String c = Character.toString(w.codePointAt(i));
                i += c.length();
                if (seenMerges.add(prefix + " " + c)) merges.add(prefix + " " + c);
                vocab.putIfAbsent(prefix + c, vocab.size());
                prefix = prefix + c;
            }
            vocab.putIfAbsent(w, vocab.size());
        }

        ObjectMapper json = new ObjectMapper();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        model.put("vocab", vocab);
        model.put("merges", merges);
        List<Map<String, Object>> added = new ArrayList<>();
        for (String s : SPECIALS) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", vocab.get(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        Map<String, Object> tok = new LinkedHashMap<>();
        tok.put("version", "1.0");
        tok.put("truncation", null);
        tok.put("padding", null);
        tok.put("added_tokens", added);
        tok.put("normalizer", Map.of("type", "Sequence", "normalizers",
                List.of(Map.of("type", "Replace", "pattern", Map.of("String", "\n"), "content", "\n "))));
        tok.put("pre_tokenizer", Map.of("type", "Sequence", "pretokenizers",
                List.of(Map.of("type", "ByteLevel", "add_prefix_space", false, "trim_offsets", true, "use_regex", true))));
        tok.put("post_processor", null);
        tok.put("decoder", Map.of("type", "ByteLevel", "add_prefix_space", true, "trim_offsets", true, "use_regex", true));
        tok.put("model", model);
        json.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("tokenizer.json").toFile(), tok);

        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("add_prefix_space", false);
        cfg.put("additional_special_tokens", List.of("<|im_start|>", "<|im_end|>"));
        cfg.put("bos_token", "<|im_start|>");
        cfg.put("eos_token", "<|im_end|>");
        cfg.put("pad_token", "<|im_end|>");
        cfg.put("unk_token", "<|endoftext|>");
        cfg.put("chat_template", TEMPLATE);
        cfg.put("clean_up_tokenization_spaces", false);
        cfg.put("model_max_length", 2048);
        cfg.put("tokenizer_class", "GPT2Tokenizer");
        json.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("tokenizer_config.json").toFile(), cfg);
        return vocab.size();
    }

    /** GPT-2's byte-to-unicode map, in byte order: the symbol of each byte value 0..255. */
    static int[] byteSymbols() {
        int[] sym = new int[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            sym[b] = printable ? b : 256 + n++;
        }
        return sym;
    }

    /** The byte-level symbols of a word's UTF-8 bytes. */
    static String toSymbols(String word) {
        int[] sym = byteSymbols();
        StringBuilder sb = new StringBuilder();
        for (byte b : word.getBytes(java.nio.charset.StandardCharsets.UTF_8)) sb.appendCodePoint(sym[b & 0xFF]);
        return sb.toString();
    }
}
