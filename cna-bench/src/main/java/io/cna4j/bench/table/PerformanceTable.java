package io.cna4j.bench.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Markdown performance section made from a folder's JMH results: one table of targets (each benchmark,
 * its baseline, the ratio with its error, the target, met or not), one of achieved throughput next to the
 * machine's limits, and the result files with their machines.
 *
 * <p>Targets 1 to 3 come from interleaved benchmarks (every variant once per round, see {@code Interleaved}):
 * their ratio is the mean of the per-iteration ratios of the variants' summed times, with JMH's 99.9 % error
 * over those iterations. Other ratios divide two JMH scores; their error combines the two scores' 99.9 %
 * errors in quadrature (as relative errors). A target is met only when the whole interval meets it
 * ({@link Target#verdict}).
 */
public final class PerformanceTable {
    /** Tokens per generation in {@code GenerationBenchmark}. */
    static final int GENERATED_TOKENS = 64;

    private final ResultFiles files;
    private final List<String> rows = new ArrayList<>();

    private PerformanceTable(ResultFiles files) {
        this.files = files;
    }

    /** The whole section for {@code files}. */
    public static String markdown(ResultFiles files) {
        return new PerformanceTable(files).render();
    }

    private String render() {
        interleaved("1", "Forward pass, ~40-token chat prompt: cna4j, no interceptor", "ForwardPassBenchmark.interleaved",
                "stockNanos", "stock jlama", "noInterceptorNanos", Direction.TIME, Target.atMost(1.03));
        interleaved("1", "Forward pass, ~40-token chat prompt: cna4j, no-op interceptor", "ForwardPassBenchmark.interleaved",
                "stockNanos", "stock jlama", "noOpNanos", Direction.TIME, Target.atMost(1.03));
        interleaved("2", "Discovery (record last token, reduce, rank) vs plain forward passes", "DiscoveryBenchmark.interleaved",
                "plainNanos", "plain passes", "discoveryNanos", Direction.TIME, Target.atMost(1.03));
        interleaved("3", "Greedy 64 tokens, steered m = 0 on 0.1 % of neurons (tokens/s ratio)", "GenerationBenchmark.interleaved",
                "stockNanos", "stock jlama", "ablate0p1PercentNanos", Direction.SPEED, Target.atLeast(0.98));
        interleaved("3", "Greedy 64 tokens, steered m = 0.5 on 1 % of neurons (tokens/s ratio)", "GenerationBenchmark.interleaved",
                "stockNanos", "stock jlama", "halve1PercentNanos", Direction.SPEED, Target.atLeast(0.98));
        paired("4", "Exact reducer, one model's neurons per prompt: Vector API (speed-up)", "ReducerBenchmark.scalarLoop",
                "scalar loop", "ReducerBenchmark.vectorApi", Direction.SPEED, Target.atLeast(4));
        memory();
        paired("6", "Forward pass on jlama-native (speed-up over pure Java)", "ForwardPassBenchmark.stockJlama",
                "pure Java", "NativeOperationsBenchmark.forwardStockNative", Direction.SPEED, Target.none());
        paired("6", "Greedy 64 tokens on jlama-native (speed-up over pure Java)", "GenerationBenchmark.stockJlama",
                "pure Java", "NativeOperationsBenchmark.generateStockNative", Direction.SPEED, Target.none());
        interleaved("7", "Prefill, ~40-token chat prompt: cna4j's kernels (speed-up)", "KernelsBenchmark.prefill",
                "stockNanos", "stock jlama", "cna4jKernelsNanos", Direction.SPEED, Target.atLeast(3));
        interleaved("7", "Greedy 64 tokens: cna4j's kernels (tokens/s ratio)", "KernelsBenchmark.decode",
                "stockNanos", "stock jlama", "cna4jKernelsNanos", Direction.SPEED, Target.atLeast(1.3));
        interleaved("7", "Discovery, 2 + 2 prompts: cna4j's kernels (speed-up over stock jlama's 4 plain passes)", "KernelsBenchmark.discovery",
                "stockNanos", "stock jlama (passes only)", "cna4jKernelsNanos", Direction.SPEED, Target.atLeast(3));
        paired("7", "Prefill, ~40-token chat prompt: cna4j's kernels, each side alone in its JVM (speed-up)",
                "KernelsAloneBenchmark.prefillStock", "stock jlama", "KernelsAloneBenchmark.prefillCna4j", Direction.SPEED, Target.atLeast(3));
        paired("7", "Greedy 64 tokens: cna4j's kernels, each side alone in its JVM (tokens/s ratio)",
                "KernelsAloneBenchmark.decodeStock", "stock jlama", "KernelsAloneBenchmark.decodeCna4j", Direction.SPEED, Target.atLeast(1.3));
        paired("7", "Discovery, 2 + 2 prompts: cna4j's kernels, each side alone in its JVM (speed-up over stock jlama's 4 plain passes)",
                "KernelsAloneBenchmark.discoveryStock", "stock jlama (passes only)", "KernelsAloneBenchmark.discoveryCna4j", Direction.SPEED, Target.atLeast(3));
        paired("7", "Prefill, ~40-token chat prompt: cna4j's kernels on Q8_0 weights, alone (speed-up over BF16)",
                "KernelsAloneBenchmark.prefillCna4j", "cna4j, BF16", "KernelsAloneBenchmark.prefillCna4jQ8", Direction.SPEED, Target.none());
        paired("7", "Greedy 64 tokens: cna4j's kernels on Q8_0 weights, alone (tokens/s ratio over BF16)",
                "KernelsAloneBenchmark.decodeCna4j", "cna4j, BF16", "KernelsAloneBenchmark.decodeCna4jQ8", Direction.SPEED, Target.none());

        StringBuilder md = new StringBuilder();
        md.append("| # | benchmark | model | baseline | measured | ratio | target | met | forks × iterations |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append('\n').append(throughput());
        md.append('\n').append(sources());
        return md.toString();
    }

    /** How a ratio is formed from the two scores (times per operation). */
    private enum Direction {
        /** candidate / baseline time: above 1 is slower. */
        TIME,
        /** baseline / candidate time: a speed ratio, above 1 is faster. */
        SPEED
    }

    private void paired(String number, String what, String baselineName, String baselineLabel, String candidateName,
                        Direction direction, Target target) {
        List<BenchmarkRecord> baselines = sortedByModel(files.of(baselineName));
        List<BenchmarkRecord> candidates = files.of(candidateName);
        if (candidates.isEmpty()) {
            rows.add(row(number, what, "—", "not measured yet", "not measured yet", "—", target.toString(), "—", ""));
            return;
        }
        for (BenchmarkRecord base : baselines) {
            Optional<BenchmarkRecord> cand = candidates.stream().filter(c -> c.params().equals(base.params())).findFirst();
            String model = ModelLabels.of(modelParam(base));
            String baseCell = baselineLabel + " " + timeCell(base);
            if (cand.isEmpty()) {
                rows.add(row(number, what, model, baseCell, "not measured", "—", target.toString(), "—", base.runShape()));
                continue;
            }
            Estimate b = seconds(base), c = seconds(cand.get());
            Estimate ratio = direction == Direction.TIME ? c.over(b) : b.over(c);
            rows.add(row(number, what, model, baseCell, timeCell(cand.get()), ratio.format(3), target.toString(),
                    target.verdict(ratio), shapes(base, cand.get())));
        }
    }

    /**
     * Rows of a comparison measured by an interleaved benchmark: per iteration, the ratio of the candidate's
     * summed time to the baseline's (both counted in the same rounds), then the mean of those ratios with
     * JMH's 99.9 % error over the iterations of all forks.
     */
    private void interleaved(String number, String what, String benchmark, String baselineCounter, String baselineLabel,
                             String candidateCounter, Direction direction, Target target) {
        List<BenchmarkRecord> records = sortedByModel(files.of(benchmark));
        if (records.isEmpty()) {
            rows.add(row(number, what, "—", "not measured yet", "not measured yet", "—", target.toString(), "—", ""));
            return;
        }
        for (BenchmarkRecord r : records) {
            String model = ModelLabels.of(modelParam(r));
            List<Double> base = r.secondaryRaw(baselineCounter), cand = r.secondaryRaw(candidateCounter);
            List<Double> rounds = r.secondaryRaw("rounds");
            if (base.isEmpty() || base.size() != cand.size() || base.size() != rounds.size()) {
                rows.add(row(number, what, model, "counter " + baselineCounter + " or " + candidateCounter + " missing",
                        "—", "—", target.toString(), "—", r.runShape()));
                continue;
            }
            List<Double> ratios = new ArrayList<>(), baseSeconds = new ArrayList<>(), candSeconds = new ArrayList<>();
            long totalRounds = 0;
            for (int i = 0; i < base.size(); i++) {
                ratios.add(direction == Direction.TIME ? cand.get(i) / base.get(i) : base.get(i) / cand.get(i));
                baseSeconds.add(base.get(i) / rounds.get(i) * 1e-9);
                candSeconds.add(cand.get(i) / rounds.get(i) * 1e-9);
                totalRounds += Math.round(rounds.get(i));
            }
            Estimate ratio = Estimate.ofSamples(ratios);
            boolean generation = r.className().equals("GenerationBenchmark") || r.name().equals("KernelsBenchmark.decode");
            rows.add(row(number, what, model, baselineLabel + " " + timeCell(Estimate.ofSamples(baseSeconds), generation),
                    timeCell(Estimate.ofSamples(candSeconds), generation), ratio.format(3), target.toString(),
                    target.verdict(ratio), r.runShape() + ", " + totalRounds + " rounds"));
        }
    }

    private void memory() {
        String what = "Discovery memory: largest live heap, 500 vs 50 prompts";
        Target target = Target.atMost(1.10);
        String name = "DiscoveryMemoryBenchmark.discovery";
        Optional<BenchmarkRecord> few = files.find(name, "prompts", "50"), many = files.find(name, "prompts", "500");
        if (few.isEmpty() || many.isEmpty()) {
            rows.add(row("5", what, "SmolLM2-135M", few.isPresent() ? "measured" : "not measured yet",
                    many.isPresent() ? "measured" : "not measured yet", "—", target.toString(), "—", ""));
            return;
        }
        Estimate peakFew = Estimate.ofSamples(few.get().secondaryRaw("peakLiveHeapBytes"));
        Estimate peakMany = Estimate.ofSamples(many.get().secondaryRaw("peakLiveHeapBytes"));
        Estimate ownFew = Estimate.ofSamples(few.get().secondaryRaw("discoveryLiveHeapBytes"));
        Estimate ownMany = Estimate.ofSamples(many.get().secondaryRaw("discoveryLiveHeapBytes"));
        Estimate ratio = peakMany.over(peakFew);
        rows.add(row("5", what, "SmolLM2-135M", "50 prompts: " + Units.mebibytes(peakFew) + " (discovery's own "
                        + Units.mebibytes(ownFew) + ")", "500 prompts: " + Units.mebibytes(peakMany) + " (discovery's own "
                        + Units.mebibytes(ownMany) + ")", ratio.format(3), target.toString(), target.verdict(ratio),
                shapes(few.get(), many.get())));
    }

    private String throughput() {
        StringBuilder md = new StringBuilder();
        Optional<Estimate> flops = limit("MachineLimitsBenchmark.fmaPeak", "flop").map(e -> e.times(1e-9));
        Optional<Estimate> bandwidth = limit("MachineLimitsBenchmark.readBandwidth", "bytesRead").map(e -> e.times(1e-9));
        md.append("Achieved throughput of stock jlama (prefill: the ~40-token prompt's forward pass; decode: the one-token passes "
                + "of the 64-token generation), next to this machine's limits as measured by `MachineLimitsBenchmark` (F32 FMA peak "
                + flops.map(e -> e.format() + " GFLOP/s").orElse("not measured") + "; memory read bandwidth "
                + bandwidth.map(e -> e.format() + " GB/s").orElse("not measured") + ", all cores):\n\n");
        md.append("| model | operations | prefill | prefill GFLOP/s | % of FMA peak | decode ms/token | decode GB/s of weights | % of read bandwidth |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        int lines = 0;
        for (String[] provider : new String[][] {{"pure Java", "ForwardPassBenchmark.stockJlama", "GenerationBenchmark.stockJlama"},
                {"jlama-native", "NativeOperationsBenchmark.forwardStockNative", "NativeOperationsBenchmark.generateStockNative"}}) {
            for (BenchmarkRecord fwd : sortedByModel(files.of(provider[1]))) {
                Optional<BenchmarkRecord> gen = files.of(provider[2]).stream().filter(g -> g.params().equals(fwd.params())).findFirst();
                Optional<Estimate> gflops = fwd.secondary("prefillFlop")
                        .map(e -> Units.perSecond(e, fwd.secondaryUnit("prefillFlop").orElseThrow()).times(1e-9));
                Optional<Estimate> decodeGbs = gen.flatMap(g -> decodeRate(g, "decodeWeightBytes")); // bytes per ns = GB/s
                Optional<Estimate> msPerToken = gen.flatMap(g -> decodeRate(g, "decodeTokens")).map(r -> r.inverse().times(1e-6));
                md.append("| ").append(ModelLabels.of(modelParam(fwd))).append(" | ").append(provider[0]).append(" | ")
                        .append(Units.time(seconds(fwd))).append(" | ")
                        .append(gflops.map(Estimate::format).orElse("—")).append(" | ")
                        .append(percent(gflops, flops)).append(" | ")
                        .append(msPerToken.map(Estimate::format).orElse("—")).append(" | ")
                        .append(decodeGbs.map(Estimate::format).orElse("—")).append(" | ")
                        .append(percent(decodeGbs, bandwidth)).append(" |\n");
                lines++;
            }
        }
        if (lines == 0) md.append("| not measured yet | | | | | | | |\n");
        return md.toString();
    }

    private String sources() {
        StringBuilder md = new StringBuilder("Result files (newest run wins where two measure the same thing):\n\n");
        for (String source : files.sources()) {
            Map<String, String> m = files.machines().get(source);
            md.append("- `").append(source).append("`");
            if (m == null) {
                md.append(": no machine description\n");
                continue;
            }
            List<String> facts = new ArrayList<>();
            for (String key : List.of("date", "cpu", "cores", "memory", "jdk", "operations", "operations (default)", "command")) {
                if (m.containsKey(key)) facts.add(key + " " + (key.equals("command") ? "`" + m.get(key) + "`" : m.get(key)));
            }
            md.append(": ").append(String.join("; ", facts)).append('\n');
        }
        if (files.sources().isEmpty()) md.append("- none yet\n");
        return md.toString();
    }

    /** Decode rate per nanosecond of {@code counter} (tokens or bytes), one sample per iteration. */
    private static Optional<Estimate> decodeRate(BenchmarkRecord gen, String counter) {
        List<Double> amount = gen.secondaryRaw(counter), nanos = gen.secondaryRaw("decodeNanos");
        if (amount.isEmpty() || amount.size() != nanos.size()) return Optional.empty();
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < amount.size(); i++) rates.add(amount.get(i) / nanos.get(i));
        return Optional.of(Estimate.ofSamples(rates));
    }

    private Optional<Estimate> limit(String name, String counter) {
        return files.of(name).stream().findFirst()
                .flatMap(r -> r.secondary(counter).map(e -> Units.perSecond(e, r.secondaryUnit(counter).orElseThrow())));
    }

    private static String percent(Optional<Estimate> achieved, Optional<Estimate> limit) {
        if (achieved.isEmpty() || limit.isEmpty()) return "—";
        return String.format(Locale.ROOT, "%.0f %%", 100 * achieved.get().value() / limit.get().value());
    }

    private static Estimate seconds(BenchmarkRecord r) {
        return Units.toSeconds(r.score(), r.unit());
    }

    private static String timeCell(BenchmarkRecord r) {
        return timeCell(seconds(r), r.className().equals("GenerationBenchmark") || r.method().startsWith("generate"));
    }

    private static String timeCell(Estimate seconds, boolean generation) {
        String t = Units.time(seconds);
        return generation ? t + String.format(Locale.ROOT, " (%.1f tokens/s)", GENERATED_TOKENS / seconds.value()) : t;
    }

    private static String shapes(BenchmarkRecord a, BenchmarkRecord b) {
        return a.runShape().equals(b.runShape()) ? a.runShape() : a.runShape() + " / " + b.runShape();
    }

    private static String modelParam(BenchmarkRecord r) {
        return r.param("shape").or(() -> r.param("model")).orElse("—");
    }

    private static List<BenchmarkRecord> sortedByModel(List<BenchmarkRecord> records) {
        return records.stream().sorted(Comparator.comparingInt((BenchmarkRecord r) -> ModelLabels.order(modelParam(r)))
                .thenComparing(PerformanceTable::modelParam)).toList();
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |";
    }
}
