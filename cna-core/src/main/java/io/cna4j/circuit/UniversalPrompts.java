package io.cna4j.circuit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The default diverse prompt set of the universal-neuron filter: 70+ user messages written for cna4j
 * (coding, maths, facts, chit-chat, writing, advice, planning; English, French, Spanish, German, Italian,
 * Portuguese, Japanese, Chinese, Russian, Dutch). A neuron that is among the model's largest activations
 * on most of these is busy with everything, so it says little about one behaviour.
 *
 * {@snippet :
 * List<String> diverse = new ArrayList<>(UniversalPrompts.defaults());
 * diverse.add("Wat is de hoofdstad van België?");
 * Circuit c = Circuit.discover(model).positive(harmful).negative(benign).universalPrompts(diverse).run();
 * }
 */
public final class UniversalPrompts {
    private static final String RESOURCE = "universal-prompts.txt";
    private static final List<String> DEFAULTS = load();

    private UniversalPrompts() {}

    /** The shipped prompts, in file order (immutable). */
    public static List<String> defaults() {
        return DEFAULTS;
    }

    private static List<String> load() {
        try (InputStream in = UniversalPrompts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing from cna-core");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return r.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
