package io.cna4j.eval.report;

import java.nio.file.Path;
import java.util.List;

/**
 * The files a {@link SweepReport} wrote.
 *
 * {@snippet :
 * ReportFiles files = SweepReport.write(result, Path.of("cna-report"));
 * System.out.println("open " + files.markdown());
 * }
 *
 * @param json     the machine-readable results ({@code sweep.json})
 * @param markdown the human-readable report ({@code report.md})
 * @param charts   the PNG charts it embeds
 */
public record ReportFiles(Path json, Path markdown, List<Path> charts) {

    public ReportFiles {
        charts = List.copyOf(charts);
    }
}
