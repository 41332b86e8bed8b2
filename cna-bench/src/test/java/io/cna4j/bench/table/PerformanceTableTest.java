package io.cna4j.bench.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerformanceTableTest {

    /** A JMH JSON entry with a primary score and optional secondary metrics (already JSON). */
    private static String entry(String benchmark, String params, double score, double error, String unit, String secondary) {
        return String.format(Locale.ROOT, """
                {"jmhVersion":"1.37","benchmark":"io.cna4j.bench.%s","mode":"avgt","threads":1,"forks":2,
                 "jvmArgs":["-Djlama.force_panama_tensor_operations=true"],"measurementIterations":5,"measurementTime":"10 s",
                 "params":{%s},
                 "primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"%s","rawData":[[%s]]},
                 "secondaryMetrics":{%s}}""", benchmark, params, score, error, unit, score, secondary);
    }

    private static String counters(String name, double... values) {
        StringBuilder raw = new StringBuilder();
        for (double v : values) raw.append(raw.isEmpty() ? "" : ",").append(v);
        return String.format(Locale.ROOT, "\"%s\":{\"score\":%s,\"scoreError\":\"NaN\",\"scoreUnit\":\"#\",\"rawData\":[[%s]]}",
                name, values[0], raw);
    }

    @Test
    void interleavedTargetsUseTheRatiosOfEachIterationsSums(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("suite.json"), "[" + String.join(",",
                entry("ForwardPassBenchmark.stockJlama", "\"shape\":\"smol135m\"", 600, 6, "ms/op",
                        "\"prefillFlop\":{\"score\":1.0E-7,\"scoreError\":1.0E-9,\"scoreUnit\":\"ms/op\",\"rawData\":[[1.0E-7]]}"),
                // 10 rounds per iteration: stock 600 ms a pass; no-op 1 % slower in every iteration; no interceptor
                // 10 % slower; drift (the third iteration is 20 % slower for all) cancels in the ratios
                entry("ForwardPassBenchmark.interleaved", "\"shape\":\"smol135m\"", 1900, 100, "ms/op",
                        counters("stockNanos", 6.0e9, 6.0e9, 7.2e9) + "," + counters("noOpNanos", 6.06e9, 6.06e9, 7.272e9) + ","
                                + counters("noInterceptorNanos", 6.6e9, 6.6e9, 7.92e9) + "," + counters("rounds", 10, 10, 10)),
                entry("GenerationBenchmark.stockJlama", "\"shape\":\"smol135m\"", 2000, 10, "ms/op",
                        counters("decodeNanos", 3.0e9, 3.0e9, 3.0e9) + "," + counters("decodeTokens", 126, 126, 126) + ","
                                + counters("decodeWeightBytes", 3.0e10, 3.3e10, 3.6e10)),
                // tokens/s ratios 1.0, 0.99, 0.98: mean 0.99, t(0.9995, 2) = 31.6 x sd 0.01 / sqrt 3 = 0.182
                entry("GenerationBenchmark.interleaved", "\"shape\":\"smol135m\"", 6000, 10, "ms/op",
                        counters("stockNanos", 2.0e9, 1.98e9, 1.96e9) + "," + counters("halve1PercentNanos", 2.0e9, 2.0e9, 2.0e9) + ","
                                + counters("rounds", 1, 1, 1))) + "]");
        Files.writeString(dir.resolve("suite.machine.txt"), "date: 2026-01-01T00:00:00Z\ncpu: Test CPU\ncores: 2\n");

        String md = PerformanceTable.markdown(ResultFiles.read(dir));

        assertThat(md).contains("| 1 | Forward pass, ~40-token chat prompt: cna4j, no-op interceptor | SmolLM2-135M | stock jlama 640 ± 1264 ms | 646 ± 1277 ms | 1.010 ± 0.000 | ≤ 1.03 | yes | 2 × 5 × 10 s, 30 rounds |");
        assertThat(md).contains("cna4j, no interceptor | SmolLM2-135M | stock jlama 640 ± 1264 ms | 704 ± 1390 ms | 1.100 ± 0.000 | ≤ 1.03 | **no** |");
        assertThat(md).contains("| 3 | Greedy 64 tokens, steered m = 0.5 on 1 % of neurons (tokens/s ratio) | SmolLM2-135M | stock jlama 1980 ± 365 ms (32.3 tokens/s) | 2000 ± 0 ms (32.0 tokens/s) | 0.990 ± 0.182 | ≥ 0.98 | inconclusive");
        assertThat(md).contains("| 3 | Greedy 64 tokens, steered m = 0 on 0.1 % of neurons (tokens/s ratio) | SmolLM2-135M | counter stockNanos or ablate0p1PercentNanos missing |");
        assertThat(md).contains("| 2 | Discovery (record last token, reduce, rank) vs plain forward passes | — | not measured yet |");
        // prefill: 1e-7 ms per FLOP = 10 GFLOP/s; decode: 126 tokens in 3 s = 23.8 ms/token; 10, 11, 12 GB/s
        // (mean 11, t(0.9995, 2) = 31.6 x sd 1 / sqrt 3 = 18.2)
        assertThat(md).contains("| SmolLM2-135M | pure Java | 600 ± 6 ms | 10.0 ± 0.1 | — | 23.8 ± 0.0 | 11.0 ± 18.2 | — |");
        assertThat(md).contains("`suite.json`: date 2026-01-01T00:00:00Z; cpu Test CPU; cores 2");
    }

    @Test
    void theNewestRunOfABenchmarkWins(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.json"), "[" + entry("ReducerBenchmark.scalarLoop", "\"model\":\"SmolLM2-135M\"", 200, 2, "us/op", "")
                + "," + entry("ReducerBenchmark.vectorApi", "\"model\":\"SmolLM2-135M\"", 100, 1, "us/op", "") + "]");
        Files.writeString(dir.resolve("a.machine.txt"), "date: 2026-01-01T00:00:00Z\n");
        Files.writeString(dir.resolve("b.json"), "[" + entry("ReducerBenchmark.vectorApi", "\"model\":\"SmolLM2-135M\"", 40, 1, "us/op", "") + "]");
        Files.writeString(dir.resolve("b.machine.txt"), "date: 2026-02-01T00:00:00Z\n");
        Files.writeString(dir.resolve("notes.json"), "{\"not\": \"jmh\"}");

        String md = PerformanceTable.markdown(ResultFiles.read(dir));

        assertThat(md).contains("| scalar loop 200 ± 2 µs | 40.0 ± 1.0 µs | 5.000 ± 0.135 | ≥ 4 | yes |");
    }
}
