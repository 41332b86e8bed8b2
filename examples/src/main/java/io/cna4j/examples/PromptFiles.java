package io.cna4j.examples;

import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.data.PromptSets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a prompt file by its kind: {@code .csv} with a {@code Goal} column (JBB-Behaviors) or a {@code goal}
 * column (AdvBench), {@code .json} (Alpaca: {@code instruction}), anything else one prompt a line.
 *
 * {@snippet :
 * PromptSet harmful = PromptFiles.load(Path.of("harmful.csv"), 100);
 * }
 */
final class PromptFiles {
    private PromptFiles() {}

    static PromptSet load(Path file, int limit) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        PromptSet set;
        if (name.endsWith(".csv")) {
            String header = Files.newBufferedReader(file).readLine();
            set = header != null && header.contains("Goal") ? PromptSets.jbb(file) : PromptSets.advBench(file);
        } else if (name.endsWith(".json")) {
            set = PromptSets.alpaca(file, limit);
        } else {
            set = PromptSets.lines(file);
        }
        return set.size() > limit ? set.first(limit) : set;
    }
}
