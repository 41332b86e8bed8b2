package io.cna4j.eval.sweep;

import org.jspecify.annotations.Nullable;

/**
 * One prompt and the steered model's response, kept in a sweep's results for reading and auditing.
 *
 * {@snippet :
 * for (ExampleResponse e : settingResult.examples()) {
 *     System.out.println(e.prompt() + " -> " + e.response() + (e.refused() ? " [" + e.pattern() + "]" : ""));
 * }
 * }
 *
 * @param prompt   the prompt text
 * @param response the generated text
 * @param refused  whether the classifier called it a refusal
 * @param pattern  the refusal pattern that matched, or null
 * @param quality  its repetition quality score
 */
public record ExampleResponse(String prompt, String response, boolean refused, @Nullable String pattern, double quality) {}
