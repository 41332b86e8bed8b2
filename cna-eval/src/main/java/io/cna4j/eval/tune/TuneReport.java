package io.cna4j.eval.tune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cna4j.eval.report.AtomicFiles;
import io.cna4j.eval.report.Charts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a {@link TuneResult}: {@code tune.json} (every evaluated setting, the front, the best or closest setting,
 * forward passes against the full sweep, warnings; NaN written as null) and {@code tune-front.png}, the behaviour
 * rate against KL divergence in the style of {@link Charts}: fully measured settings as circles, the settings
 * stopped early at their lower bound as small diamonds, the Pareto front as a line, the best setting as a square.
 *
 * {@snippet :
 * TuneReport.Files files = TuneReport.write(result, Path.of("tune-report"));
 * System.out.println(files.json() + " " + files.chart());
 * }
 */
public final class TuneReport {
    /** File name of the JSON. */
    public static final String JSON_FILE = "tune.json";
    /** File name of the chart. */
    public static final String CHART_FILE = "tune-front.png";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The written files.
     *
     * @param json  {@code tune.json}
     * @param chart {@code tune-front.png}
     */
    public record Files(Path json, Path chart) {}

    private TuneReport() {}

    /** Writes both files into {@code dir} (created when missing), each atomically. */
    public static Files write(TuneResult result, Path dir) {
        Path json = AtomicFiles.write(dir.resolve(JSON_FILE), toJson(result) + "\n");
        Path chart = chart(result, dir.resolve(CHART_FILE));
        return new Files(json, chart);
    }

    /** The JSON text of {@code result}. */
    public static String toJson(TuneResult r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", r.model());
        root.put("goal", r.goal());
        root.put("positivePrompts", r.positivePrompts());
        root.put("negativePrompts", r.negativePrompts());
        root.put("klPositions", r.klPositions());
        root.put("maxNewTokens", r.maxNewTokens());
        root.put("reached", r.reached());
        ObjectNode passes = root.putObject("forwardPasses");
        passes.put("used", r.passes());
        passes.put("klReference", r.referencePasses());
        if (r.budget() == Long.MAX_VALUE) passes.putNull("budget");
        else passes.put("budget", r.budget());
        passes.put("budgetExhausted", r.budgetExhausted());
        passes.put("fullSweep", r.fullSweepPasses());
        passes.put("fullSweepExact", r.fullSweepExact());
        passes.put("shareOfFullSweep", r.fullSweepPasses() == 0 ? 0 : (double) r.passes() / r.fullSweepPasses());
        if (r.best() != null) point(root.putObject("best"), r.best());
        else root.putNull("best");
        if (r.closest() != null) point(root.putObject("closest"), r.closest());
        else root.putNull("closest");
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        ArrayNode front = root.putArray("front");
        for (TunePoint p : r.front()) point(front.addObject(), p);
        ArrayNode points = root.putArray("points");
        for (TunePoint p : r.points()) point(points.addObject(), p);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise tuning result: " + e.getOriginalMessage(), e);
        }
    }

    private static void point(ObjectNode o, TunePoint p) {
        o.put("label", p.label());
        o.put("size", p.size());
        o.put("multiplier", p.multiplier());
        o.put("origin", p.origin());
        number(o, "kl", p.kl());
        number(o, "behaviourRate", p.behaviourRate());
        o.put("behaviourLowerBound", p.behaviourLowerBound());
        o.put("evaluated", p.evaluated());
        o.put("shown", p.shown());
        o.put("total", p.total());
        o.put("complete", p.complete());
        o.put("stoppedEarly", p.stoppedEarly());
        number(o, "quality", p.quality());
        if (p.mmluAccuracy() != null) o.put("mmluAccuracy", p.mmluAccuracy());
        else o.putNull("mmluAccuracy");
        o.put("passes", p.passes());
    }

    private static void number(ObjectNode o, String name, double x) {
        if (Double.isFinite(x)) o.put(name, x);
        else o.putNull(name);
    }

    /** Writes the behaviour-vs-KL chart to {@code png}. */
    public static Path chart(TuneResult r, Path png) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("Behaviour vs KL divergence (" + r.model() + ")")
                .xAxisTitle("mean KL(unsteered || steered) on " + r.negativePrompts() + ", nats")
                .yAxisTitle("behaviour rate on " + r.positivePrompts() + " (%)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(105.0);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        double maxKl = r.points().stream().mapToDouble(TunePoint::kl).filter(Double::isFinite).max().orElse(0);
        // KL of gentle steering can be tiny (1e-7 nats): keep a visible axis and switch to scientific labels
        chart.getStyler().setXAxisMax(Math.max(maxKl * 1.1, 1e-9));
        chart.getStyler().setXAxisDecimalPattern(maxKl < 1e-3 ? "0.##E0" : "0.####");
        Predicate<TunePoint> measured = p -> Double.isFinite(p.kl());
        scatter(chart, "fully measured", r.points(), measured.and(TunePoint::complete), SeriesMarkers.CIRCLE);
        scatter(chart, "stopped early (rate >= shown)", r.points(), measured.and(TunePoint::stoppedEarly), SeriesMarkers.DIAMOND);
        List<TunePoint> front = r.front().stream().filter(measured).toList();
        if (front.size() > 1) {
            List<TunePoint> byKl = new ArrayList<>(front);
            byKl.sort(java.util.Comparator.comparingDouble(TunePoint::kl));
            XYSeries s = chart.addSeries("Pareto front", byKl.stream().map(TunePoint::kl).toList(),
                    byKl.stream().map(p -> 100 * p.behaviourRate()).toList());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
        }
        TunePoint best = r.best() != null ? r.best() : r.closest();
        if (best != null && measured.test(best)) {
            String name = (r.best() != null ? "best: " : "closest: ") + best.label()
                    + String.format(Locale.ROOT, " (%.1f %%, KL %s)", 100 * best.behaviourRate(),
                            best.kl() == 0 ? "0" : String.format(Locale.ROOT, "%.3g", best.kl()));
            chart.addSeries(name, new double[] {best.kl()}, new double[] {100 * best.behaviourRate()}).setMarker(SeriesMarkers.SQUARE);
        }
        if (chart.getSeriesMap().isEmpty()) throw new IllegalArgumentException("no measured setting to chart");
        try {
            return AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + png, e);
        }
    }

    private static void scatter(XYChart chart, String name, List<TunePoint> points, Predicate<TunePoint> which,
            org.knowm.xchart.style.markers.Marker marker) {
        List<TunePoint> sel = points.stream().filter(which).toList();
        if (sel.isEmpty()) return;
        chart.addSeries(name, sel.stream().map(TunePoint::kl).toList(),
                sel.stream().map(p -> 100 * (p.complete() ? p.behaviourRate() : p.behaviourLowerBound())).toList()).setMarker(marker);
    }

}
