package io.cna4j.eval.quality;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A judge-free quality score in [0, 1] that catches the degenerate, looping text of an over-steered model.
 *
 * <p>Definition. The response is split on whitespace into words, compared case-insensitively (punctuation stays
 * part of a word). With {@code n} words:
 * <ul>
 *   <li>{@code n >= 4}: there are {@code g = n - 3} word 4-grams (overlapping windows). A 4-gram occurrence is
 *       <em>repeated</em> when the same 4-gram occurred earlier, so a 4-gram seen {@code k} times counts
 *       {@code k - 1} repeats. The score is {@code 1 - repeated / g}, which equals
 *       {@code distinct 4-grams / g}: 1 for text without a repeated 4-gram, close to 0 for a loop.</li>
 *   <li>{@code 1 <= n <= 3}: there is no 4-gram, so repetition cannot be measured and the text is too short to
 *       count as a good answer. The score is {@code distinct words / 4}: "Sure." scores 0.25, three distinct
 *       words 0.75, "no no no" 0.25. So a short output never scores as perfect, and still ranks below any
 *       four-word output without repeats.</li>
 *   <li>{@code n = 0} (empty or whitespace only): 0.</li>
 * </ul>
 * Worked examples: "the cat sat on the mat" has 3 distinct 4-grams, score 1; "a b a b a b" has 4-grams
 * {@code abab, baba, abab}, one repeat, score 1 - 1/3 = 0.667; "go go go go go go go go" has 5 identical
 * 4-grams, 4 repeats, score 0.2.
 *
 * {@snippet :
 * double q = RepetitionQuality.score("I will help. I will help. I will help.");
 * double mean = RepetitionQuality.mean(List.of("Fine answer here today.", "")); // (1 + 0) / 2
 * }
 */
public final class RepetitionQuality {
    private static final int N = 4;

    private RepetitionQuality() {}

    /** The score of one response; see the class comment for the exact definition. */
    public static double score(String response) {
        String stripped = response.strip();
        if (stripped.isEmpty()) return 0;
        String[] words = stripped.toLowerCase(Locale.ROOT).split("\\s+");
        if (words.length < N) {
            return (double) new HashSet<>(List.of(words)).size() / N;
        }
        int grams = words.length - N + 1;
        Set<List<String>> seen = new HashSet<>();
        for (int i = 0; i < grams; i++) {
            seen.add(List.of(words[i], words[i + 1], words[i + 2], words[i + 3]));
        }
        int repeated = grams - seen.size();
        return 1.0 - (double) repeated / grams;
    }

    /** The mean score of {@code responses}. */
    public static double mean(List<String> responses) {
        if (responses.isEmpty()) throw new IllegalArgumentException("no responses to score");
        double sum = 0;
        for (String r : responses) sum += score(r);
        return sum / responses.size();
    }

}
