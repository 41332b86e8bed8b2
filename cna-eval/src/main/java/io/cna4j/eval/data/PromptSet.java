package io.cna4j.eval.data;

import io.cna4j.model.Prompt;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, named, non-empty list of prompt texts, with the file it came from where there is one.
 *
 * {@snippet :
 * PromptSet harmful = PromptDatasets.jbb(Path.of("../shared/data/jailbreakbench/harmful.csv"));
 * PromptSet quick = harmful.first(10);              // "harmful (first 10)"
 * Prompt p = quick.prompt(0, Prompt.Mode.CHAT);
 * }
 *
 * @param name    a short name for reports, e.g. {@code "jbb-harmful"}
 * @param prompts the prompt texts, none blank, at least one
 * @param source  the file they were read from, or null for in-memory sets
 */
public record PromptSet(String name, List<String> prompts, @Nullable Path source) {

    public PromptSet {
        Objects.requireNonNull(name, "name");
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompt set '" + name + "' is empty");
        }
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i).isBlank()) {
                throw new IllegalArgumentException("prompt set '" + name + "': prompt " + i + " is blank");
            }
        }
    }

    /** An in-memory set. */
    public static PromptSet of(String name, List<String> prompts) {
        return new PromptSet(name, prompts, null);
    }

    /** Number of prompts. */
    public int size() {
        return prompts.size();
    }

    /** Prompt text {@code i}. */
    public String get(int i) {
        return prompts.get(i);
    }

    /** Prompt {@code i} for the model, formatted in {@code mode}. */
    public Prompt prompt(int i, Prompt.Mode mode) {
        return new Prompt(prompts.get(i), mode);
    }

    /** The first {@code n} prompts (all of them when there are fewer), for quick runs. */
    public PromptSet first(int n) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (n >= prompts.size()) return this;
        return new PromptSet(name + " (first " + n + ")", prompts.subList(0, n), source);
    }
}
