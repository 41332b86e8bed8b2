package io.cna4j.examples;

import io.cna4j.circuit.Circuit;
import io.cna4j.eval.data.PromptFiles;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.mmlu.MmluDataset;
import io.cna4j.eval.mmlu.MmluEvaluator;
import io.cna4j.eval.tune.TunePoint;
import io.cna4j.eval.tune.TuneReport;
import io.cna4j.eval.tune.TuneResult;
import io.cna4j.eval.tune.Tuning;
import io.cna4j.eval.tune.TuningGoal;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.planted.PlantedModelSpec;
import io.cna4j.jlama.planted.BuiltInPrompts;
import io.cna4j.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./cna4j tune}: finds the circuit size and multiplier that remove a behaviour (refusal) with the least
 * change to the model elsewhere (KL divergence on negative prompts), with {@link Tuning}. Discovers one ranking
 * (or loads it with {@code --circuit}), searches prefixes of it and multipliers, prints the Pareto front, and writes
 * {@code tune.json}, {@code tune-front.png} and {@code recommended.circuit.json} (the circuit with its
 * recommended multiplier).
 *
 * {@snippet lang="shell" :
 * ./cna4j tune      # no model: the planted-circuit toy model, the built-in requests split into discovery and evaluation halves
 * ./cna4j tune --model ~/models/Llama-3.2-1B-Instruct --positive harmful.csv --negative alpaca.json \
 *     --discovery-positive advbench.csv --discovery-negative benign.csv --target-refusal 0.05 --budget 50000
 * }
 */
@Command(name = "cna-tune", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.Provider.class,
        description = "Searches circuit size and multiplier: behaviour on positives at or below a target with the least KL on negatives.")
public final class TuneMain implements Callable<Integer> {

    @Option(names = "--model", description = "Model folder or Hugging Face Hub id. Default: a constructed model with a planted refusal circuit.")
    @Nullable String model;

    @Option(names = "--circuit", description = "A circuit file to use as the ranking (its neurons are the largest size tried); "
            + "default: discover one from the discovery prompts.")
    @Nullable Path circuit;

    @Option(names = "--positive", description = "Evaluation prompts of the behaviour (.csv, .json or .txt). Default: the second half of the built-in harmful requests.")
    @Nullable Path positive;

    @Option(names = "--negative", description = "Evaluation prompts for KL (.csv, .json or .txt). Default: the second half of the built-in benign requests.")
    @Nullable Path negative;

    @Option(names = "--discovery-positive", description = "Discovery prompts of the behaviour. Default: the first half of the built-in harmful requests.")
    @Nullable Path discoveryPositive;

    @Option(names = "--discovery-negative", description = "Discovery contrast prompts. Default: the first half of the built-in benign requests.")
    @Nullable Path discoveryNegative;

    @Option(names = "--limit", defaultValue = "100", description = "Most prompts used from each file (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--target-refusal", defaultValue = "0.05", description = "Highest acceptable refusal rate on the positives (default: ${DEFAULT-VALUE}).")
    double target;

    @Option(names = "--lambda", description = "Instead of a target: minimise refusal rate + LAMBDA * KL.")
    @Nullable Double lambda;

    @Option(names = "--budget", description = "Most forward passes to spend (default: no limit).")
    @Nullable Long budget;

    @Option(names = "--max-fraction", defaultValue = "0.01", description = "Ranking length to discover, as a share of all MLP neurons (default: ${DEFAULT-VALUE}).")
    double maxFraction;

    @Option(names = "--sizes", split = ",", description = "Circuit sizes to try (default: 0.01 %% .. 1 %% of all MLP neurons).")
    int @Nullable [] sizes;

    @Option(names = "--multipliers", split = ",", description = "Multipliers to try (default: -1,-0.5,0,0.25,0.5,0.75,1,1.5,2).")
    double @Nullable [] multipliers;

    @Option(names = "--kl-positions", defaultValue = "8", description = "Answer positions compared per negative prompt (default: ${DEFAULT-VALUE}).")
    int klPositions;

    @Option(names = "--max-tokens", defaultValue = "64", description = "New tokens per positive response (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--mmlu", description = "MMLU data folder: accuracy is measured on the Pareto front (5 subjects x 10 questions).")
    @Nullable Path mmlu;

    @Option(names = "--out", defaultValue = "tune-report", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ModelLoading loading;

    @Option(names = "--verbose", description = "On an error, print the stack trace too.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(CliErrors.commandLine(new TuneMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<String> builtInHarmful = BuiltInPrompts.harmful();
        List<String> builtInBenign = BuiltInPrompts.benign();
        PromptSet pos = positive != null ? PromptFiles.load(positive, null, limit)
                : PromptSet.of("built-in harmful requests (second half)", half(builtInHarmful, false));
        PromptSet neg = negative != null ? PromptFiles.load(negative, null, limit)
                : PromptSet.of("built-in benign requests (second half)", half(builtInBenign, false));
        PromptSet discPos = discoveryPositive != null ? PromptFiles.load(discoveryPositive, null, limit)
                : PromptSet.of("built-in harmful requests (first half)", half(builtInHarmful, true));
        PromptSet discNeg = discoveryNegative != null ? PromptFiles.load(discoveryNegative, null, limit)
                : PromptSet.of("built-in benign requests (first half)", half(builtInBenign, true));
        long minimum = Tuning.minimumPassesForOneSetting(pos.size(), neg.size(), klPositions);
        if (budget != null && budget < minimum) { // refused before loading anything
            System.err.printf("cna-tune: a budget of %d forward passes cannot evaluate one setting: that needs at least %d "
                    + "(%d negative prompts for the KL reference and one KL measurement, %d positive prompts); "
                    + "raise --budget or use fewer prompts (--limit)%n", budget, minimum, neg.size(), pos.size());
            return 2;
        }
        Path tmp = null;
        PlantedModelSpec planted = null;
        try {
            JlamaSteerableModel m;
            if (model == null) {
                tmp = Files.createTempDirectory("cna4j-planted");
                planted = PlantedModel.builder().writeTo(tmp.resolve("instruct"));
                System.out.println("No --model given: using a CONSTRUCTED chat model with a planted refusal circuit ("
                        + planted.gate().size() + " gate neurons, known to this program but not to discovery or the tuner).");
                m = JlamaModels.load(planted.folder(), loading.options());
            } else {
                m = JlamaModels.loadFolderOrHub(model, loading.cache, loading.options());
            }
            try (m) {
                Circuit ranking;
                if (circuit != null) {
                    ranking = Circuit.load(circuit, m.info());
                    System.out.printf("Ranking: %d neurons from %s%n", ranking.size(), circuit);
                } else {
                    System.out.printf("Discovering a ranking of %.2f %% of %d MLP neurons from %d + %d prompts ...%n", 100 * maxFraction,
                            m.info().totalNeurons(), discPos.size(), discNeg.size());
                    ranking = Circuit.discover(m).positive(discPos.prompts()).negative(discNeg.prompts()).topFraction(maxFraction).run();
                }
                List<String> discovery = new ArrayList<>(discPos.prompts());
                discovery.addAll(discNeg.prompts());
                Tuning tuning = Tuning.of(m, ranking).positive(pos).negative(neg).discoveryPrompts(circuit != null ? List.of() : discovery)
                        .goal(lambda != null ? TuningGoal.weighted(lambda) : TuningGoal.maxBehaviour(target))
                        .klPositions(klPositions).maxNewTokens(maxTokens).onProgress(bestLines());
                if (budget != null) tuning.budget(budget);
                if (sizes != null) tuning.sizes(sizes);
                if (multipliers != null) tuning.multipliers(multipliers);
                if (mmlu != null) tuning.mmlu(MmluEvaluator.zeroShot(MmluDataset.load(mmlu, 5, 10)));
                for (String w : tuning.warnings()) System.out.println("WARNING: " + w);
                System.out.printf("Tuning on %s (positives) and %s (negatives): sizes %s, %d multipliers, goal: %s%n", pos.name(),
                        neg.name(), java.util.Arrays.toString(tuning.plannedSizes()),
                        multipliers != null ? multipliers.length : Tuning.DEFAULT_MULTIPLIERS.size(),
                        lambda != null ? "refusal + " + lambda + " * KL" : "refusal <= " + target + ", lowest KL");
                TuneResult r;
                try {
                    r = tuning.run();
                } catch (IllegalArgumentException e) {
                    System.err.println("cna-tune: " + e.getMessage());
                    return 2;
                }
                print(r);
                TuneReport.Files files = TuneReport.write(r, out);
                System.out.println("Wrote " + files.json().toAbsolutePath() + " and " + files.chart().toAbsolutePath());
                if (r.recommended().isPresent()) {
                    Circuit rec = r.recommendedCircuit(ranking);
                    Path file = out.resolve("recommended.circuit.json");
                    rec.save(file);
                    System.out.printf("Recommended: %s, saved with its multiplier as %s%n", r.recommended().get().label(), file.toAbsolutePath());
                    if (planted != null) {
                        long found = planted.gate().stream().filter(rec::contains).count();
                        System.out.printf("Planted gate neurons in the recommended circuit: %d of %d%n", found, planted.gate().size());
                    }
                }
            }
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
        return 0;
    }

    private static void print(TuneResult r) {
        System.out.println();
        System.out.println("| setting | refusal | KL (nats) | quality | MMLU | passes |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (TunePoint p : r.front()) {
            System.out.printf(Locale.ROOT, "| %s | %.3f | %s | %.3f | %s | %d |%n", p.label(), p.behaviourRate(), kl(p.kl()), p.quality(),
                    p.mmluAccuracy() == null ? "-" : String.format(Locale.ROOT, "%.3f", p.mmluAccuracy()), p.passes());
        }
        long early = r.points().stream().filter(TunePoint::stoppedEarly).count();
        System.out.printf(Locale.ROOT, "%nForward passes: %d (%d for the KL reference) vs %s%d for the full sweep of the grid (%.1f %%); "
                + "%d settings evaluated, %d stopped early%s%n", r.passes(), r.referencePasses(), r.fullSweepExact() ? "" : "about ",
                r.fullSweepPasses(), 100.0 * r.passes() / Math.max(1, r.fullSweepPasses()), r.points().size(), early,
                r.budgetExhausted() ? "; the budget ran out" : "");
        if (r.reached()) {
            TunePoint b = r.best();
            System.out.printf(Locale.ROOT, "Best: %s, refusal %.3f, KL %s, quality %.3f (%s)%n", b.label(), b.behaviourRate(), kl(b.kl()),
                    b.quality(), r.goal());
        } else if (r.closest() != null) {
            TunePoint c = r.closest();
            System.out.printf(Locale.ROOT, "TARGET NOT REACHED%s: closest setting %s, refusal %.3f, KL %s (%s)%n",
                    r.budgetExhausted() ? " within the budget" : "", c.label(), c.behaviourRate(), kl(c.kl()), r.goal());
        } else {
            System.out.println("TARGET NOT REACHED within the budget, and no setting was measured in full; raise --budget");
        }
    }

    private static String kl(double x) {
        return x == 0 ? "0" : String.format(Locale.ROOT, "%.3g", x);
    }

    /** Prints a line whenever the best setting changes. */
    private static ProgressListener bestLines() {
        String[] last = {""};
        return p -> {
            if (!p.stage().equals(last[0])) {
                last[0] = p.stage();
                System.out.printf("  [%d passes] %s%n", p.done(), p.stage());
            }
        };
    }

    private static List<String> half(List<String> prompts, boolean first) {
        int mid = prompts.size() / 2;
        return first ? prompts.subList(0, mid) : prompts.subList(mid, prompts.size());
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
