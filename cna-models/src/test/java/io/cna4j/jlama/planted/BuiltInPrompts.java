package io.cna4j.jlama.planted;

import java.util.List;

/**
 * Small prompt sets written for cna4j (about 40 each), so that demos and tests run without any downloaded
 * data: requests a safe assistant declines, and everyday requests it answers.
 *
 * {@snippet :
 * List<String> pos = BuiltInPrompts.harmful();
 * List<String> neg = BuiltInPrompts.benign();
 * }
 */
public final class BuiltInPrompts {
    private static final List<String> HARMFUL = WordLists.lines("harmful-prompts.txt");
    private static final List<String> BENIGN = WordLists.lines("benign-prompts.txt");

    private BuiltInPrompts() {}

    /** Requests that a safe assistant should decline. */
    public static List<String> harmful() {
        return HARMFUL;
    }

    /** Everyday requests that a helpful assistant should answer. */
    public static List<String> benign() {
        return BENIGN;
    }
}
