package io.cna4j.eval.report;

import java.util.Objects;

/**
 * A section a program adds to a sweep's {@code report.md}, before the results: a {@code ##} heading and its
 * Markdown body (e.g. the run's command line, the circuit's neurons).
 *
 * {@snippet :
 * ReportSection run = new ReportSection("Run", "Command line: `cna-demo --limit 10`\n");
 * SweepReport.write(result, Path.of("cna-report"), countsPerLayer, List.of(run));
 * }
 *
 * @param title    the heading, without {@code ##}
 * @param markdown the body, Markdown
 */
public record ReportSection(String title, String markdown) {

    public ReportSection {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(markdown, "markdown");
        if (title.isBlank()) throw new IllegalArgumentException("title is blank");
    }
}
