package io.cna4j.eval.report;

import io.cna4j.eval.sweep.SettingResult;
import io.cna4j.eval.sweep.SteeringMethod;
import io.cna4j.eval.sweep.SweepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Diamond;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a sweep, drawn with XChart in headless mode: a metric against steering strength with one line
 * per method, and a histogram of circuit neurons per layer. Legends sit outside the plot, rate axes span exactly
 * 0 to their maximum, count axes have whole-number ticks, and the methods' lines differ in marker and dash so
 * that equal results stay visible.
 *
 * {@snippet :
 * Charts.metricVsStrength(result, Charts.Metric.REFUSAL_RATE, Path.of("refusal.png"));
 * Charts.layerHistogram(Map.of(10, 3, 11, 7), Path.of("layers.png"));    // counts per layer
 * }
 */
public final class Charts {
    /** Width of every chart, in pixels. */
    public static final int WIDTH = 800;
    /** Height of every chart, in pixels. */
    public static final int HEIGHT = 500;

    /** A diamond half the styler's marker size, so that a circle under it stays visible. */
    private static final Marker SMALL_DIAMOND = new Diamond() {
        @Override
        public void paint(java.awt.Graphics2D g, double x, double y, int size) {
            super.paint(g, x, y, Math.max(4, size / 2));
        }
    };

    /** What a strength chart plots on its y axis. */
    public enum Metric {
        /** Share of responses that refuse, in percent. */
        REFUSAL_RATE("Refusal rate (%)", 100, r -> 100 * r.refusalRate()),
        /** Mean repetition quality, 0 to 1. */
        QUALITY("Mean quality (1 - repeated 4-grams)", 1, SettingResult::meanQuality),
        /** MMLU accuracy in percent; settings without MMLU are left out. */
        MMLU("MMLU accuracy (%)", 100, r -> r.mmlu() == null ? Double.NaN : 100 * r.mmlu().accuracy());

        private final String title;
        private final double max;
        private final ToDoubleFunction<SettingResult> value;

        Metric(String title, double max, ToDoubleFunction<SettingResult> value) {
            this.title = title;
            this.max = max;
            this.value = value;
        }

        /** The axis title. */
        public String title() {
            return title;
        }

        /** The metric's value at one setting; NaN when not measured. */
        public double of(SettingResult r) {
            return value.applyAsDouble(r);
        }
    }

    private Charts() {}

    /** Writes a line chart of {@code metric} against steering strength, one series per method that ran. */
    public static Path metricVsStrength(SweepResult result, Metric metric, Path png) {
        headless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(metric.title() + " vs steering strength (" + result.model() + ")")
                .xAxisTitle("steering strength (CNA: 1 - m, CAA: -alpha; 0 = unchanged)")
                .yAxisTitle(metric.title())
                .build();
        // the legend sits below the plot, where it cannot hide a point; the y axis spans the metric's whole range
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(metric.max);
        chart.getStyler().setYAxisDecimalPattern(metric.max >= 10 ? "#" : "0.0");
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setMarkerSize(11);
        int series = 0;
        double firstX = 0;
        for (SteeringMethod method : SteeringMethod.values()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (SettingResult r : result.byStrength(method)) {
                double y = metric.of(r);
                if (Double.isNaN(y)) continue;
                xs.add(r.strength());
                ys.add(y);
            }
            if (xs.isEmpty()) continue;
            if (series == 0) firstX = xs.get(0);
            style(chart.addSeries(method.name(), xs, ys), series);
            series++;
        }
        if (series == 0) throw new IllegalArgumentException("no " + metric + " values to chart");
        regularYTicks(chart, firstX, metric.max);
        return save(chart, png);
    }

    /**
     * Tells series apart where their lines coincide: the first is a solid blue line with large circles, the
     * second, drawn on top, a dashed orange line with diamonds half as large, so both stay visible when their
     * values are equal.
     */
    private static void style(XYSeries s, int index) {
        boolean first = index % 2 == 0;
        s.setMarker(first ? SeriesMarkers.CIRCLE : SMALL_DIAMOND);
        s.setLineStyle(first ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
        s.setLineWidth(first ? 3.5f : 2f);
        java.awt.Color color = first ? new java.awt.Color(0x1f, 0x5f, 0xd0) : new java.awt.Color(0xe0, 0x60, 0x10);
        s.setLineColor(color);
        s.setMarkerColor(color);
    }

    /**
     * XChart puts y ticks only at the data's values when these are equally spaced (a chart of only 0 % and 100 %
     * got ticks at 0 and 100 alone); an invisible series at 0, an uneven fraction and the maximum keeps the
     * regular ticks.
     */
    private static void regularYTicks(XYChart chart, double x, double max) {
        XYSeries s = chart.addSeries("\u200b", new double[] {x, x, x}, new double[] {0, 0.3719 * max, max});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.NONE);
        s.setShowInLegend(false);
    }

    /** Writes a bar chart of circuit neurons per layer; every layer from 0 to the highest given is shown, those without neurons as 0. */
    public static Path layerHistogram(Map<Integer, Integer> countsPerLayer, Path png) {
        if (countsPerLayer.isEmpty()) throw new IllegalArgumentException("no layer counts to chart");
        headless();
        TreeMap<Integer, Integer> sorted = new TreeMap<>(countsPerLayer);
        if (sorted.firstKey() < 0) throw new IllegalArgumentException("negative layer " + sorted.firstKey());
        List<Integer> layers = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int l = 0; l <= sorted.lastKey(); l++) {
            layers.add(l);
            counts.add(sorted.getOrDefault(l, 0));
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Circuit neurons per layer").xAxisTitle("layer").yAxisTitle("neurons").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        wholeNumberAxis(chart, sorted.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        chart.addSeries("neurons", layers, counts);
        return save(chart, png);
    }

    /** The same as {@link #layerHistogram(Map, Path)} with {@code counts[layer]}. */
    public static Path layerHistogram(int[] counts, Path png) {
        Map<Integer, Integer> map = new TreeMap<>();
        for (int l = 0; l < counts.length; l++) map.put(l, counts[l]);
        return layerHistogram(map, png);
    }

    /**
     * A count axis from 0 with ticks on whole numbers only: XChart's tick step is 1, 2 or 5 times a power of ten
     * chosen from span / plot height x spacing hint, so a hint of at least the chart's height over the span keeps
     * the step at 1 or more.
     */
    private static void wholeNumberAxis(CategoryChart chart, int maxCount) {
        int top = Math.max(1, maxCount);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax((double) top);
        chart.getStyler().setYAxisDecimalPattern("#");
        int hint = chart.getStyler().getYAxisTickMarkSpacingHint();
        chart.getStyler().setYAxisTickMarkSpacingHint(Math.max(hint, (int) Math.ceil((double) HEIGHT / top)));
    }

    private static Path save(Chart<?, ?> chart, Path png) {
        try {
            return AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render " + png, e);
        }
    }

    private static void headless() {
        System.setProperty("java.awt.headless", "true");
    }
}
