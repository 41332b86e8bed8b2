package io.cna4j.jlama.planted;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the text resources of this package: one entry a line (or a word a token), {@code #} comments. */
final class WordLists {
    private WordLists() {}

    /** The non-comment, non-blank lines of a resource, trimmed. */
    static List<String> lines(String resource) {
        try (InputStream in = WordLists.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("resource " + resource + " is missing from the cna-models jar");
            List<String> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) out.add(t);
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /** The whitespace-separated words of a resource's non-comment lines. */
    static List<String> words(String resource) {
        List<String> out = new ArrayList<>();
        for (String line : lines(resource)) {
            for (String w : line.split("\\s+")) if (!w.isEmpty()) out.add(w);
        }
        return List.copyOf(out);
    }
}
