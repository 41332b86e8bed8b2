package io.cna4j.jlama.text;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The largest token id a {@code tokenizer.json} can produce, and its token: the maximum over the model's
 * vocabulary (an object {@code {token: id}} for BPE, WordPiece and WordLevel, or a list of
 * {@code [token, score]} for Unigram, whose ids are the positions) and the added tokens. A model's embedding
 * needs at least {@code id + 1} rows.
 *
 * {@snippet :
 * HighestTokenId h = HighestTokenId.of(new ObjectMapper().readTree(Path.of("tokenizer.json").toFile()));
 * h.id();      // 151664 for Qwen2.5
 * h.token();   // "<|file_sep|>"
 * }
 *
 * @param id    the largest id, -1 for a tokenizer without any
 * @param token its token ({@code "#id"} where the vocabulary is a list)
 */
public record HighestTokenId(long id, String token) {

    /** The highest id of a parsed {@code tokenizer.json}; entries without a numeric id are not counted. */
    public static HighestTokenId of(JsonNode tokenizerJson) {
        long max = -1;
        String highest = "";
        JsonNode vocab = tokenizerJson.path("model").path("vocab");
        if (vocab.isObject()) {
            for (var it = vocab.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().canConvertToLong() && e.getValue().asLong() > max) {
                    max = e.getValue().asLong();
                    highest = e.getKey();
                }
            }
        } else if (vocab.isArray()) {
            max = vocab.size() - 1;
            highest = "#" + max;
        }
        for (JsonNode a : tokenizerJson.path("added_tokens")) {
            JsonNode id = a.get("id");
            if (id != null && id.canConvertToLong() && id.asLong() > max) {
                max = id.asLong();
                highest = a.has("content") ? a.get("content").asText() : "#" + max;
            }
        }
        return new HighestTokenId(max, highest);
    }
}
