package io.cna4j.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.CircuitOverlap;
import io.cna4j.eval.caa.CaaVector;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.report.ReportFiles;
import io.cna4j.eval.report.SweepReport;
import io.cna4j.eval.sweep.ExampleResponse;
import io.cna4j.eval.sweep.SettingResult;
import io.cna4j.eval.sweep.Sweep;
import io.cna4j.eval.sweep.SweepResult;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaOptions;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.planted.PlantedPair;
import io.cna4j.jlama.planted.PromptSets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The README's main job: discovers a model's refusal circuit from positive and negative prompts (with a
 * progress bar), sweeps CNA multipliers and CAA alphas over the positive prompts, prints a table, and
 * writes a report (JSON, Markdown, PNG charts), the circuit file and {@code summary.json}.
 *
 * {@snippet lang="shell" :
 * ./cna4j demo --model ~/models/Llama-3.2-1B-Instruct --positive harmful.csv --negative benign.csv
 * ./cna4j demo --random-from ../shared/models/SmolLM2-135M-Instruct --positive harmful.csv --negative benign.csv --limit 10
 * ./cna4j demo     # no model given: a constructed chat model with a planted refusal circuit, and its base sibling
 * }
 */
@Command(name = "cna-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Discovers a refusal circuit, sweeps CNA vs CAA steering, and writes a report.")
public final class DemoMain implements Callable<Integer> {

    @Option(names = "--model", description = "Model folder or Hugging Face Hub id (owner/name).")
    @Nullable String model;

    @Option(names = "--random-from", description = "Instead of --model: a folder with a real config.json and tokenizer; "
            + "random weights of its exact shape are written to a temporary folder and used (a constructed model).")
    @Nullable Path randomFrom;

    @Option(names = "--base", description = "Optional base-model folder or Hub id: the same pipeline runs on it, "
            + "and the report gives its refusal change and the overlap of the two circuits.")
    @Nullable String base;

    @Option(names = "--positive", description = "Prompts of the behaviour (e.g. JBB harmful.csv; .csv, .json or .txt). "
            + "Default: the library's own 40 harmful requests.")
    @Nullable Path positive;

    @Option(names = "--negative", description = "Contrast prompts (e.g. JBB benign.csv or Alpaca .json). "
            + "Default: the library's own 40 benign requests.")
    @Nullable Path negative;

    @Option(names = "--limit", defaultValue = "100", description = "Most prompts used from each file (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--top-fraction", defaultValue = "0.001", description = "Circuit size as a share of all MLP neurons (default: ${DEFAULT-VALUE}).")
    double topFraction;

    @Option(names = "--max-tokens", defaultValue = "150", description = "New tokens per response in the sweep (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--out", defaultValue = "cna-report", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--cache", defaultValue = "${user.home}/.cache/cna4j/models", description = "Where Hub models are downloaded.")
    Path cache;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (model != null && randomFrom != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give at most one of --model or --random-from");
        }
        PromptSet pos = positive != null ? PromptFiles.load(positive, limit)
                : PromptSet.of("built-in harmful requests", PromptSets.harmful());
        PromptSet neg = negative != null ? PromptFiles.load(negative, limit)
                : PromptSet.of("built-in benign requests", PromptSets.benign());
        Path tmp = null;
        String modelName;
        PlantedPair planted = null;
        try {
            JlamaSteerableModel m;
            if (model == null && randomFrom == null) {
                tmp = Files.createTempDirectory("cna4j-planted");
                planted = PlantedModel.writePair(tmp);
                System.out.println("No --model given: using a CONSTRUCTED chat model whose refusal circuit was planted by");
                System.out.println("cna4j's builder (" + planted.instruct().gate().size() + " gate neurons, known to the demo but not to discovery),");
                System.out.println("with a base sibling that has no refusal gate. Written to " + tmp);
                m = JlamaModels.load(planted.instruct().folder());
                modelName = "planted-circuit toy model (constructed by io.cna4j.jlama.planted.PlantedModel)";
                if (base == null) base = planted.base().folder().toString();
            } else if (randomFrom != null) {
                tmp = Files.createTempDirectory("cna4j-random-model");
                System.out.println("Writing random weights of " + randomFrom.getFileName() + "'s shape (a constructed model) ...");
                m = JlamaModels.load(RandomModelFolder.from(randomFrom).writeTo(tmp));
                modelName = "random weights of " + randomFrom.getFileName() + "'s shape (constructed)";
            } else {
                m = JlamaModels.loadFolderOrHub(model, cache, JlamaOptions.defaults());
                modelName = model;
            }
            try (m) {
                Result instruct = runPipeline(m, pos, neg, out);
                Double baseChange = null;
                if (base != null) {
                    try (JlamaSteerableModel b = JlamaModels.loadFolderOrHub(base, cache, JlamaOptions.defaults())) {
                        Result br = runPipeline(b, pos, neg, out.resolve("base"));
                        baseChange = RunSummary.refusalAt(br.sweep, 0) - RunSummary.refusalAt(br.sweep, 1);
                        CircuitOverlap o = CircuitOverlap.of(instruct.circuit, br.circuit);
                        System.out.printf("%nBase model: refusal change at m = 0: %+.2f; circuit overlap: %.0f %% of instruct's, Jaccard %.3f%n",
                                baseChange, 100 * o.shareOfFirst(), o.jaccard());
                    }
                }
                Double recall = null;
                if (planted != null) {
                    long found = planted.instruct().gate().stream().filter(instruct.circuit::contains).count();
                    recall = (double) found / planted.instruct().gate().size();
                    System.out.printf("%nRecall of the planted gate neurons: %d of %d (%.0f %%)%n", found,
                            planted.instruct().gate().size(), 100 * recall);
                }
                RunSummary summary = new RunSummary(modelName, recall, instruct.circuit.size(),
                        instruct.circuit.universalNeuronsRemoved().size(), RunSummary.cna(instruct.sweep),
                        RunSummary.caa(instruct.sweep), baseChange, (System.nanoTime() - start) / 1e9);
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("summary.json").toFile(), summary);
                System.out.printf("%nWrote %s (report.md, sweep.json, charts), circuit.json and summary.json in %.0f s.%n",
                        out.toAbsolutePath(), summary.wallSeconds());
            }
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
        return 0;
    }

    private record Result(Circuit circuit, SweepResult sweep) {}

    private Result runPipeline(JlamaSteerableModel m, PromptSet pos, PromptSet neg, Path dir) throws Exception {
        System.out.printf("Model: %s — %d layers x %d MLP neurons (%s)%n", m.info().name(), m.info().layers(),
                m.info().neuronsPerLayer(), m.info().architecture());
        System.out.printf("Prompts: %d positive (%s), %d negative (%s)%n", pos.size(), pos.name(), neg.size(), neg.name());
        Circuit circuit;
        CaaVector caa;
        SweepResult sweep;
        try (ConsoleProgress bar = new ConsoleProgress()) {
            circuit = Circuit.discover(m).positive(pos.prompts()).negative(neg.prompts()).topFraction(topFraction)
                    .onProgress(bar).run();
            caa = CaaVector.compute(m, pos, neg, bar);
            sweep = Sweep.over(m, pos).cna(x -> circuit.steer((float) x)).caa(caa::steer).maxNewTokens(maxTokens)
                    .onProgress(bar).run();
        }
        Files.createDirectories(dir);
        circuit.save(dir.resolve("circuit.json"));
        Map<Integer, Integer> perLayer = new LinkedHashMap<>();
        int[] counts = circuit.analysis().countsPerLayer();
        for (int l = 0; l < counts.length; l++) perLayer.put(l, counts[l]);
        ReportFiles files = SweepReport.write(sweep, dir, perLayer);
        System.out.printf("%nCircuit: %d neurons (%d universal removed), %.0f %% in the last 10 %% of layers%n",
                circuit.size(), circuit.universalNeuronsRemoved().size(), 100 * circuit.analysis().shareInLastTenthOfLayers());
        System.out.println("\n| method | setting | strength | refusal rate | quality |\n| --- | --- | --- | --- | --- |");
        for (SettingResult s : sweep.results()) {
            System.out.printf("| %s | %s | %.2f | %.2f | %.3f |%n", s.setting().method(), s.setting().label(), s.strength(),
                    s.refusalRate(), s.meanQuality());
        }
        example(sweep, 1.0);
        example(sweep, 0.0);
        System.out.println("Report: " + files.markdown().toAbsolutePath());
        return new Result(circuit, sweep);
    }

    private static void example(SweepResult sweep, double m) {
        sweep.results().stream().filter(s -> s.setting().method() == io.cna4j.eval.sweep.SteeringMethod.CNA && s.setting().value() == m)
                .flatMap(s -> s.examples().stream()).findFirst()
                .ifPresent((ExampleResponse e) -> System.out.printf("%nm = %s: \"%s\"%n  -> %s%n", m, e.prompt(),
                        e.response().strip().replace('\n', ' ')));
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
