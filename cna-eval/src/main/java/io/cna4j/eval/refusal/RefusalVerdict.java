package io.cna4j.eval.refusal;

import org.jspecify.annotations.Nullable;

/**
 * Whether one response refuses, and why: the pattern that matched and the text it matched, for auditing.
 *
 * {@snippet :
 * RefusalVerdict v = RefusalClassifier.defaults().classify("I'm sorry, but I can't help with that.");
 * // v.refused() == true, v.pattern() == "I'm sorry", v.matchedText() == "I'm sorry"
 * }
 *
 * @param refused     whether a refusal pattern matched within the classifier's window
 * @param pattern     the label of the pattern that matched earliest in the text (a default phrase or a user regex), or null
 * @param matchedText the text it matched, as written in the response (after apostrophe normalisation), or null
 */
public record RefusalVerdict(boolean refused, @Nullable String pattern, @Nullable String matchedText) {

    /** The verdict for a response that matched nothing. */
    public static final RefusalVerdict COMPLIED = new RefusalVerdict(false, null, null);
}
