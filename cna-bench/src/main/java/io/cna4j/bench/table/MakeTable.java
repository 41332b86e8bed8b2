package io.cna4j.bench.table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code make-table}'s entry point: reads the JMH results of a folder and writes the performance section
 * between the markers of each given Markdown file ({@link ReadmeSection}).
 *
 * {@snippet lang=shell :
 * java -cp cna-bench/target/benchmarks.jar io.cna4j.bench.table.MakeTable cna-bench/results \
 *     cna-bench/results/README.md README.md
 * }
 */
public final class MakeTable {
    private MakeTable() {}

    /** Arguments: the results folder, then the Markdown files to update (none: print the section). */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: MakeTable RESULTS_FOLDER [MARKDOWN_FILE...]");
            System.exit(2);
        }
        String section = PerformanceTable.markdown(ResultFiles.read(Path.of(args[0])));
        List<String> targets = List.of(args).subList(1, args.length);
        if (targets.isEmpty()) System.out.print(section);
        for (String t : targets) {
            boolean changed = ReadmeSection.rewrite(Path.of(t), section);
            System.out.println((changed ? "updated " : "unchanged ") + t);
        }
    }
}
