package io.cna4j.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.CircuitOverlap;
import io.cna4j.eval.caa.CaaVector;
import io.cna4j.eval.data.DataFileException;
import io.cna4j.eval.data.PromptFiles;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.report.AtomicFiles;
import io.cna4j.eval.report.ReportSection;
import io.cna4j.eval.report.SweepReport;
import io.cna4j.eval.sweep.ExampleResponse;
import io.cna4j.eval.sweep.SettingResult;
import io.cna4j.eval.sweep.SteeringMethod;
import io.cna4j.eval.sweep.Sweep;
import io.cna4j.eval.sweep.SweepResult;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.planted.PlantedPair;
import io.cna4j.jlama.planted.BuiltInPrompts;
import io.cna4j.model.NeuronId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The README's main job: discovers a model's refusal circuit from positive and negative prompts (with a
 * progress bar), sweeps CNA multipliers and CAA alphas over the positive prompts, prints a table, and
 * writes a report (JSON, Markdown, PNG charts), the circuit file, {@code summary.json} and {@code run.json}.
 *
 * <p>Every option is checked before a model is written or loaded; a mistake ends in one line naming the option
 * or file, exit status 2 for usage errors and 1 for failures ({@link CliErrors}). The report is written beside
 * {@code --out} and moved into place as a unit at the end ({@link StagedReport}), and a constructed model's
 * temporary folder never outlives the run ({@link ScratchFolder}).
 *
 * {@snippet lang="shell" :
 * ./cna4j demo --model ~/models/Llama-3.2-1B-Instruct --positive harmful.csv --negative benign.csv
 * ./cna4j demo --model hf:Qwen/Qwen2.5-0.5B-Instruct --positive harmful.csv --negative seed_tasks.jsonl
 * ./cna4j demo --random-from ../shared/models/SmolLM2-135M-Instruct --positive harmful.csv --negative benign.csv --limit 10
 * ./cna4j demo     # no model given: a constructed chat model with a planted refusal circuit, and its base sibling
 * }
 */
@Command(name = "cna-demo", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.Provider.class,
        description = "Discovers a refusal circuit, sweeps CNA vs CAA steering, and writes a report.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the report was written", "1:a failure while working (e.g. a model that cannot be loaded)",
                "2:a usage error (a bad option, or a file or folder it names that cannot be used)"})
public final class DemoMain implements Callable<Integer> {
    private static final Pattern HUB_ID = Pattern.compile("[\\w.-]+/[\\w.-]+");

    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "FOLDER|hf:ID",
            description = "Model folder, or a Hugging Face Hub id written hf:owner/name (downloaded into --cache).")
    @Nullable String model;

    @Option(names = "--random-from", paramLabel = "FOLDER", description = "Instead of --model: a folder with a real config.json and tokenizer; "
            + "random weights of its exact shape are written to a temporary folder and used (a constructed model).")
    @Nullable Path randomFrom;

    @Option(names = "--base", paramLabel = "FOLDER|hf:ID", description = "Optional base-model folder or hf:owner/name: the same pipeline runs on it, "
            + "and the report gives its refusal change and the overlap of the two circuits.")
    @Nullable String base;

    @Option(names = "--positive", paramLabel = "FILE", description = "Prompts of the behaviour: .csv, .json, .jsonl or .txt "
            + "(e.g. JBB harmful.csv). Default: the library's own 40 harmful requests.")
    @Nullable Path positive;

    @Option(names = "--negative", paramLabel = "FILE", description = "Contrast prompts, the same kinds of file "
            + "(e.g. JBB benign.csv, Alpaca .json). Default: the library's own 40 benign requests.")
    @Nullable Path negative;

    @Option(names = "--prompt-field", paramLabel = "NAME", description = "The CSV column or JSON field of the prompt. "
            + "Default: whichever one of prompt, instruction, goal the file has (any case).")
    @Nullable String promptField;

    @Option(names = "--limit", defaultValue = "100", description = "Most prompts used from each set (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--top-fraction", defaultValue = "0.001", description = "Circuit size as a share of all MLP neurons, "
            + "above 0 and at most 1 (default: ${DEFAULT-VALUE}).")
    double topFraction;

    @Option(names = "--keep-universal", description = "Keep universal neurons (those that fire on almost any prompt) "
            + "in the circuit: skips the universal-neuron filter and its 74 extra prompts.")
    boolean keepUniversal;

    @Option(names = "--max-tokens", defaultValue = "150", description = "New tokens per response in the sweep (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--multipliers", split = ",", paramLabel = "M", description = "CNA multipliers swept "
            + "(default: 0,0.25,0.5,0.75,1,1.5,2).")
    double @Nullable [] multipliers;

    @Option(names = "--alphas", split = ",", paramLabel = "ALPHA", description = "CAA alphas swept "
            + "(default: -1,-0.75,-0.5,-0.25,0,0.5,1).")
    double @Nullable [] alphas;

    @Option(names = "--out", defaultValue = "cna-report", paramLabel = "FOLDER", description = "Report folder, replaced "
            + "as a whole at the end of the run: new, empty, or an earlier report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ModelLoading loading;

    @Option(names = "--verbose", description = "On an error, print the stack trace too.")
    boolean verbose;

    private final List<String> args = new ArrayList<>();

    /** Runs cna-demo and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs cna-demo with help and errors written to {@code out} and {@code err}; returns the exit status. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        DemoMain demo = new DemoMain();
        demo.args.addAll(Arrays.asList(args));
        CommandLine cl = CliErrors.commandLine(demo);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** What {@link #validate()} found: the prompt sets. */
    private record Inputs(PromptSet positive, PromptSet negative) {}

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        String started = Instant.now().toString();
        Inputs in = validate();
        try (StagedReport report = openReport()) {
            ScratchFolder.deleteStale(ScratchFolder.defaultParent());
            run(in, report.dir(), started, start);
            report.commit();
            System.out.printf("%nWrote %s (report.md, sweep.json, charts), circuit.json, summary.json and run.json in %.0f s.%n",
                    report.target(), (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    /** Checks every option, and reads the prompt files, before anything is written or loaded. */
    private Inputs validate() {
        if (limit < 1) throw usage("--limit must be at least 1, got " + limit);
        if (!(topFraction > 0 && topFraction <= 1)) {
            throw usage("--top-fraction must be above 0 and at most 1, got " + topFraction);
        }
        if (maxTokens < 1) throw usage("--max-tokens must be at least 1, got " + maxTokens);
        checkFinite("--multipliers", multipliers);
        checkFinite("--alphas", alphas);
        if (promptField != null && promptField.isBlank()) throw usage("--prompt-field is blank");
        if (model != null && randomFrom != null) throw usage("give at most one of --model or --random-from");
        if (model != null) checkModel("--model", model);
        if (base != null) checkModel("--base", base);
        if (randomFrom != null) {
            if (!Files.isDirectory(randomFrom)) throw usage("--random-from: " + randomFrom + ": no such folder");
            for (String f : List.of("config.json", "tokenizer.json")) {
                if (!Files.isRegularFile(randomFrom.resolve(f))) throw usage("--random-from: " + randomFrom + " has no " + f);
            }
        }
        if ((isHub(model) || isHub(base)) && Files.exists(loading.cache) && !Files.isDirectory(loading.cache)) {
            throw usage("--cache: " + loading.cache + " exists and is not a folder");
        }
        PromptSet pos = positive != null ? prompts("--positive", positive)
                : PromptSet.of("built-in harmful requests", BuiltInPrompts.harmful()).first(limit);
        PromptSet neg = negative != null ? prompts("--negative", negative)
                : PromptSet.of("built-in benign requests", BuiltInPrompts.benign()).first(limit);
        return new Inputs(pos, neg);
    }

    private StagedReport openReport() {
        try {
            return StagedReport.open(out);
        } catch (IllegalArgumentException e) {
            throw usage("--out: " + e.getMessage());
        } catch (IOException e) {
            throw usage("--out: cannot write the report there: " + CliErrors.describeIo(e));
        }
    }

    private void checkModel(String option, String value) {
        if (value.startsWith(JlamaModels.HUB_PREFIX)) {
            String id = value.substring(JlamaModels.HUB_PREFIX.length());
            if (!HUB_ID.matcher(id).matches()) throw usage(option + ": '" + id + "' is not a Hub id of the form owner/name");
            return;
        }
        Path p = Path.of(value);
        if (!Files.exists(p)) {
            throw usage(option + ": " + value + ": no such folder"
                    + (HUB_ID.matcher(value).matches() ? " (for the Hugging Face Hub model write hf:" + value + ")" : ""));
        }
        if (!Files.isDirectory(p)) throw usage(option + ": " + value + " is a file; give the model's folder");
    }

    private static boolean isHub(@Nullable String value) {
        return value != null && value.startsWith(JlamaModels.HUB_PREFIX);
    }

    private PromptSet prompts(String option, Path file) {
        if (!Files.exists(file)) throw usage(option + ": " + file + ": no such file");
        if (!PromptFiles.supports(file)) {
            throw usage(option + ": " + file + ": not a prompt file; use " + String.join(", ", PromptFiles.EXTENSIONS)
                    + " (one prompt a line)");
        }
        try {
            return PromptFiles.load(file, promptField, limit);
        } catch (DataFileException e) {
            throw usage(option + ": " + e.getMessage()
                    + (e.getMessage().contains("prompt field") || e.getMessage().contains("prompt column")
                            ? " with --prompt-field" : ""));
        }
    }

    private void checkFinite(String option, double @Nullable [] values) {
        if (values == null) return;
        if (values.length == 0) throw usage(option + " is empty");
        for (double v : values) {
            if (!Double.isFinite(v)) throw usage(option + " must be finite numbers, got " + v);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private record Result(Circuit circuit, SweepResult sweep) {}

    private void run(Inputs in, Path dir, String started, long start) throws Exception {
        ScratchFolder tmp = null;
        try {
            JlamaSteerableModel m;
            String modelName;
            PlantedPair planted = null;
            if (model == null && randomFrom == null) {
                tmp = ScratchFolder.create(ScratchFolder.defaultParent());
                planted = PlantedModel.writePair(tmp.path());
                System.out.println("No --model given: using a CONSTRUCTED chat model whose refusal circuit was planted by");
                System.out.println("cna4j's builder (" + planted.instruct().gate().size() + " gate neurons, known to the demo but not to discovery),");
                System.out.println("with a base sibling that has no refusal gate. Written to " + tmp.path());
                m = JlamaModels.load(planted.instruct().folder(), loading.options());
                modelName = "planted-circuit toy model (constructed by io.cna4j.jlama.planted.PlantedModel)";
                if (base == null) base = planted.base().folder().toString();
            } else if (randomFrom != null) {
                tmp = ScratchFolder.create(ScratchFolder.defaultParent());
                System.out.println("Writing random weights of " + randomFrom.getFileName() + "'s shape (a constructed model) ...");
                m = JlamaModels.load(RandomModelFolder.from(randomFrom).writeTo(tmp.path().resolve("model")), loading.options());
                modelName = "random weights of " + randomFrom.getFileName() + "'s shape (constructed)";
            } else {
                m = JlamaModels.loadFolderOrHub(model, loading.cache, loading.options());
                modelName = model;
            }
            try (m) {
                Result instruct = runPipeline(m, in);
                List<ReportSection> sections = new ArrayList<>();
                sections.add(DemoSections.run(args, modelName, m.info(), in.positive(), in.negative(), topFraction, maxTokens));
                sections.add(DemoSections.circuit(instruct.circuit()));
                Double recall = null;
                if (planted != null) {
                    List<NeuronId> gate = planted.instruct().gate();
                    long found = gate.stream().filter(instruct.circuit()::contains).count();
                    recall = (double) found / gate.size();
                    System.out.printf("%nRecall of the planted gate neurons: %d of %d (%.0f %%)%n", found, gate.size(), 100 * recall);
                    sections.add(DemoSections.recall(gate, instruct.circuit()));
                }
                Double baseChange = null;
                if (base != null) {
                    String baseName = planted != null ? "the planted model's base sibling (constructed, no refusal gate)" : base;
                    try (JlamaSteerableModel b = JlamaModels.loadFolderOrHub(base, loading.cache, loading.options())) {
                        Result br = runPipeline(b, in);
                        writeFiles(br, dir.resolve("base"), List.of(
                                DemoSections.run(args, baseName, b.info(), in.positive(), in.negative(), topFraction, maxTokens),
                                DemoSections.circuit(br.circuit())));
                        baseChange = refusalChange(br.sweep());
                        CircuitOverlap o = CircuitOverlap.of(instruct.circuit(), br.circuit());
                        System.out.printf("%nBase model: refusal change at m = 0: %s; circuit overlap: %.0f %% of instruct's, Jaccard %.3f%n",
                                baseChange == null ? "not measured" : String.format("%+.2f", baseChange), 100 * o.shareOfFirst(), o.jaccard());
                        sections.add(DemoSections.base(baseName, baseChange, o));
                    }
                }
                writeFiles(instruct, dir, sections);
                RunSummary summary = new RunSummary(modelName, recall, instruct.circuit().size(),
                        instruct.circuit().universalNeuronsRemoved().size(), RunSummary.cna(instruct.sweep()),
                        RunSummary.caa(instruct.sweep()), baseChange, (System.nanoTime() - start) / 1e9);
                AtomicFiles.write(dir.resolve(StagedReport.SUMMARY),
                        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary) + "\n");
                RunManifest.write(dir, UUID.randomUUID().toString(), args, started, Instant.now().toString());
            }
        } finally {
            if (tmp != null) tmp.close();
        }
    }

    private static @Nullable Double refusalChange(SweepResult sweep) {
        double change = RunSummary.refusalAt(sweep, 0) - RunSummary.refusalAt(sweep, 1);
        return Double.isNaN(change) ? null : change;
    }

    private Result runPipeline(JlamaSteerableModel m, Inputs in) throws Exception {
        PromptSet pos = in.positive();
        PromptSet neg = in.negative();
        System.out.printf("Model: %s — %d layers x %d MLP neurons (%s)%n", m.info().name(), m.info().layers(),
                m.info().neuronsPerLayer(), m.info().architecture());
        System.out.printf("Prompts: %d positive (%s), %d negative (%s)%n", pos.size(), pos.name(), neg.size(), neg.name());
        Circuit circuit;
        SweepResult sweep;
        try (ConsoleProgress bar = new ConsoleProgress()) {
            var discovery = Circuit.discover(m).positive(pos.prompts()).negative(neg.prompts()).topFraction(topFraction)
                    .onProgress(bar);
            circuit = (keepUniversal ? discovery.includeUniversal() : discovery).run();
            CaaVector caa = CaaVector.compute(m, pos, neg, bar);
            Sweep s = Sweep.over(m, pos).maxNewTokens(maxTokens).onProgress(bar);
            s = multipliers == null ? s.cna(x -> circuit.steer((float) x)) : s.cna(x -> circuit.steer((float) x), multipliers);
            s = alphas == null ? s.caa(caa::steer) : s.caa(caa::steer, alphas);
            sweep = s.run();
        }
        System.out.printf("%nCircuit: %d neurons (%d universal removed), %.0f %% in the last 10 %% of layers%n",
                circuit.size(), circuit.universalNeuronsRemoved().size(), 100 * circuit.analysis().shareInLastTenthOfLayers());
        System.out.println("\n| method | setting | strength | refusal rate | quality |\n| --- | --- | --- | --- | --- |");
        for (SettingResult r : sweep.results()) {
            System.out.printf("| %s | %s | %.2f | %.2f | %.3f |%n", r.setting().method(), r.setting().label(), r.strength(),
                    r.refusalRate(), r.meanQuality());
        }
        example(sweep, 1.0);
        example(sweep, 0.0);
        return new Result(circuit, sweep);
    }

    private static void writeFiles(Result r, Path dir, List<ReportSection> sections) throws IOException {
        Files.createDirectories(dir);
        r.circuit().save(dir.resolve("circuit.json"));
        Map<Integer, Integer> perLayer = new LinkedHashMap<>();
        int[] counts = r.circuit().analysis().countsPerLayer();
        for (int l = 0; l < counts.length; l++) perLayer.put(l, counts[l]);
        SweepReport.write(r.sweep(), dir, perLayer, sections);
    }

    private static void example(SweepResult sweep, double m) {
        sweep.results().stream().filter(s -> s.setting().method() == SteeringMethod.CNA && s.setting().value() == m)
                .flatMap(s -> s.examples().stream()).findFirst()
                .ifPresent((ExampleResponse e) -> System.out.printf("%nm = %s: \"%s\"%n  -> %s%n", m, e.prompt(),
                        e.response().strip().replace('\n', ' ')));
    }
}
