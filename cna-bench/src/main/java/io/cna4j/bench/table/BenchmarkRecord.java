package io.cna4j.bench.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One entry of a JMH JSON result file: a benchmark method with its parameters, its primary score and its
 * secondary metrics, and the file it came from.
 *
 * @param className    the benchmark class's simple name, e.g. {@code ForwardPassBenchmark}
 * @param method       the benchmark method, e.g. {@code stockJlama}
 * @param params       the {@code @Param} values
 * @param json         the entry as JMH wrote it
 * @param source       the result file's name
 * @param date         when the run started (from the file's {@code .machine.txt}, else its modification time), ISO-8601
 */
public record BenchmarkRecord(String className, String method, Map<String, String> params, JsonNode json, String source,
                              String date) {

    /** Reads one entry of a JMH result array. */
    static BenchmarkRecord of(JsonNode entry, String source, String date) {
        String full = entry.get("benchmark").asText();
        String[] parts = full.split("\\.");
        Map<String, String> params = new TreeMap<>();
        entry.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        return new BenchmarkRecord(parts[parts.length - 2], parts[parts.length - 1], params, entry, source, date);
    }

    /** {@code Class.method}. */
    public String name() {
        return className + "." + method;
    }

    /** The value of parameter {@code name}, or empty. */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** The primary score with JMH's error. */
    public Estimate score() {
        JsonNode p = json.get("primaryMetric");
        return new Estimate(p.get("score").asDouble(), number(p.get("scoreError")));
    }

    /** The primary score's unit, e.g. {@code ms/op}. */
    public String unit() {
        return json.get("primaryMetric").get("scoreUnit").asText();
    }

    /** A secondary metric's score with JMH's error, if present. */
    public Optional<Estimate> secondary(String metric) {
        JsonNode m = json.path("secondaryMetrics").get(metric);
        return m == null ? Optional.empty() : Optional.of(new Estimate(m.get("score").asDouble(), number(m.get("scoreError"))));
    }

    /** A secondary metric's unit, if present. */
    public Optional<String> secondaryUnit(String metric) {
        JsonNode m = json.path("secondaryMetrics").get(metric);
        return m == null ? Optional.empty() : Optional.of(m.get("scoreUnit").asText());
    }

    /** A secondary metric's per-iteration values over all forks (JMH's {@code rawData}), in order. */
    public List<Double> secondaryRaw(String metric) {
        List<Double> out = new ArrayList<>();
        JsonNode m = json.path("secondaryMetrics").get(metric);
        if (m != null) for (JsonNode fork : m.path("rawData")) for (JsonNode v : fork) out.add(v.asDouble());
        return out;
    }

    /** Forks x measurement iterations, e.g. {@code 2 × 6 × 10 s}. */
    public String runShape() {
        String time = json.path("measurementTime").asText("");
        String mode = json.path("mode").asText("");
        return json.path("forks").asInt() + " × " + json.path("measurementIterations").asInt()
                + (mode.equals("ss") || time.isEmpty() ? "" : " × " + time);
    }

    /** The forks' extra JVM arguments. */
    public List<String> jvmArgs() {
        List<String> out = new ArrayList<>();
        json.path("jvmArgs").forEach(a -> out.add(a.asText()));
        return out;
    }

    private static double number(JsonNode n) {
        if (n == null || n.isNull()) return Double.NaN;
        return n.isNumber() ? n.asDouble() : parse(n.asText());
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
