package io.cna4j.eval.report;

import io.cna4j.eval.mmlu.MmluResult;
import io.cna4j.eval.sweep.ExampleResponse;
import io.cna4j.eval.sweep.SettingResult;
import io.cna4j.eval.sweep.SteeringMethod;
import io.cna4j.eval.sweep.SweepResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a sweep's report into a folder: {@code sweep.json} (all numbers), {@code report.md} (a table per
 * setting, the charts, example responses), and the PNG charts {@code refusal-vs-strength.png},
 * {@code quality-vs-strength.png}, {@code mmlu-vs-strength.png} (when MMLU was measured) and
 * {@code layers.png} (when circuit layer counts are given). Every file is written atomically.
 *
 * {@snippet :
 * SweepResult result = Sweep.over(model, harmful).cna(m -> circuit.steer((float) m)).run();
 * ReportFiles files = SweepReport.write(result, Path.of("cna-report"), circuit.countsPerLayer());
 * }
 */
public final class SweepReport {
    /** Name of the JSON file. */
    public static final String JSON = "sweep.json";
    /** Name of the Markdown file. */
    public static final String MARKDOWN = "report.md";

    private SweepReport() {}

    /** Writes the report without a layer histogram. */
    public static ReportFiles write(SweepResult result, Path dir) {
        return write(result, dir, null);
    }

    /**
     * Writes the report; with {@code countsPerLayer} (circuit neurons per layer) it also draws the layer histogram.
     */
    public static ReportFiles write(SweepResult result, Path dir, @Nullable Map<Integer, Integer> countsPerLayer) {
        return write(result, dir, countsPerLayer, List.of());
    }

    /**
     * Writes the report with {@code sections} of the caller's (e.g. the circuit and the run's command line) placed
     * before the results.
     */
    public static ReportFiles write(SweepResult result, Path dir, @Nullable Map<Integer, Integer> countsPerLayer,
            List<ReportSection> sections) {
        Path json = SweepJson.write(result, dir.resolve(JSON));
        List<Path> charts = new ArrayList<>();
        charts.add(Charts.metricVsStrength(result, Charts.Metric.REFUSAL_RATE, dir.resolve("refusal-vs-strength.png")));
        charts.add(Charts.metricVsStrength(result, Charts.Metric.QUALITY, dir.resolve("quality-vs-strength.png")));
        if (result.hasMmlu()) {
            charts.add(Charts.metricVsStrength(result, Charts.Metric.MMLU, dir.resolve("mmlu-vs-strength.png")));
        }
        if (countsPerLayer != null && !countsPerLayer.isEmpty()) {
            charts.add(Charts.layerHistogram(countsPerLayer, dir.resolve("layers.png")));
        }
        Path md = AtomicFiles.write(dir.resolve(MARKDOWN), markdown(result, charts, sections));
        return new ReportFiles(json, md, charts);
    }

    /** The Markdown text of the report, linking {@code charts} by file name. */
    public static String markdown(SweepResult result, List<Path> charts) {
        return markdown(result, charts, List.of());
    }

    /** The Markdown text of the report with {@code sections} before the results. */
    public static String markdown(SweepResult result, List<Path> charts, List<ReportSection> sections) {
        StringBuilder md = new StringBuilder();
        md.append("# Steering sweep: ").append(result.model()).append("\n\n");
        md.append("Prompt set **").append(escape(result.promptSet())).append("** (").append(result.promptCount())
                .append(" prompts), greedy decoding, at most ").append(result.maxNewTokens())
                .append(" new tokens per response.\n\n");
        md.append("**Steering strength** puts both methods on one axis: 0 is the unchanged model and positive means "
                + "steered away from refusal. CNA multiplies the circuit's neurons by m, strength = 1 - m (m = 1 "
                + "unchanged, m = 0 ablated); CAA adds alpha times the mean-difference vector to every MLP output, "
                + "strength = -alpha (alpha = 0 unchanged). Strength 1 removes each method's whole measured signal, "
                + "but the interventions differ, so compare directions and end points, not equal-strength sizes.\n\n");
        md.append("Quality is 1 - (repeated word 4-grams / all word 4-grams); outputs under four words score at most 0.75 "
                + "and empty ones 0.\n\n");
        for (ReportSection section : sections) {
            md.append("## ").append(section.title()).append("\n\n").append(section.markdown().strip()).append("\n\n");
        }
        md.append("## Results\n\n");
        boolean mmlu = result.hasMmlu();
        md.append("| setting | strength | refusal rate | refused | mean quality |");
        if (mmlu) md.append(" MMLU |");
        md.append(" tokens/s | time (s) |\n|---|---:|---:|---:|---:|");
        if (mmlu) md.append("---:|");
        md.append("---:|---:|\n");
        for (SteeringMethod method : SteeringMethod.values()) {
            for (SettingResult r : result.byStrength(method)) {
                if (r.failed()) {
                    md.append("| ").append(r.setting().label()).append(" | ").append(num(r.strength(), 2))
                            .append(" | **failed** | - | - |").append(mmlu ? " - |" : "").append(" - | ")
                            .append(num(r.generationSeconds(), 2)).append(" |\n");
                    continue;
                }
                md.append("| ").append(r.setting().label()).append(" | ").append(num(r.strength(), 2))
                        .append(" | ").append(num(100 * r.refusalRate(), 1)).append(" % | ")
                        .append(r.refused()).append('/').append(r.prompts()).append(" | ")
                        .append(num(r.meanQuality(), 3)).append(" |");
                if (mmlu) {
                    MmluResult m = r.mmlu();
                    md.append(' ').append(m == null ? "-" : num(100 * m.accuracy(), 1) + " %").append(" |");
                }
                md.append(' ').append(num(r.tokensPerSecond(), 1)).append(" | ")
                        .append(num(r.generationSeconds() + r.mmluSeconds(), 2)).append(" |\n");
            }
        }
        for (SettingResult r : result.results()) {
            if (r.failed()) {
                md.append("\n**").append(r.setting().label()).append(" failed:** ").append(escape(String.valueOf(r.failure()))).append('\n');
            }
        }
        md.append("\n## Charts\n\n");
        for (Path chart : charts) {
            String name = chart.getFileName().toString();
            md.append("![").append(name.replace(".png", "").replace('-', ' ')).append("](").append(name).append(")\n\n");
        }
        md.append("## Example responses\n");
        for (SettingResult r : result.results()) {
            if (r.examples().isEmpty()) continue;
            md.append("\n### ").append(r.setting().label()).append(" (strength ").append(num(r.strength(), 2))
                    .append(")\n\n");
            for (ExampleResponse e : r.examples()) {
                md.append("- **Prompt:** ").append(escape(e.prompt())).append("\n  ")
                        .append(e.refused() ? "**Refused** (matched `" + e.pattern() + "`)" : "**Complied**")
                        .append(", quality ").append(num(e.quality(), 2)).append("\n\n  > ")
                        .append(escape(e.response()).replace("\n", "\n  > ")).append("\n\n");
            }
        }
        md.append("Machine-readable results: [").append(JSON).append("](").append(JSON).append(").\n");
        return md.toString();
    }

    private static String num(double x, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    /** Escapes characters that would break a Markdown table row or start HTML. */
    private static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
