package io.cna4j.examples;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.CircuitDiscovery;
import io.cna4j.eval.data.DataFileException;
import io.cna4j.eval.data.PromptFiles;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.hazelcast.ClusterConfigs;
import io.cna4j.hazelcast.ClusterDiscoveryException;
import io.cna4j.hazelcast.HazelcastDiscovery;
import io.cna4j.jlama.JlamaModelSource;
import io.cna4j.jlama.planted.BuiltInPrompts;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.model.SteerableModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./cna4j discover}: discovers a circuit and writes its file; with {@code --cluster}, the prompts are
 * collected by the members of a cna4j cluster ({@code ./cna4j worker}), each of which opens the model itself
 * from the same folder path or {@code hf:} id, and the circuit is the one a single JVM would find, bit for bit.
 * Without {@code --cluster} it runs here and opens no port. Prints the elapsed time and prompts per second.
 *
 * {@snippet lang="shell" :
 * ./cna4j discover --cluster 127.0.0.1:5701                        # the planted demo model, built-in prompts
 * ./cna4j discover --cluster 10.0.0.5:5701 --model /models/Llama-3.2-1B-Instruct \
 *     --positive harmful.csv --negative benign.csv --out refusal.circuit.json
 * ./cna4j discover --model hf:Qwen/Qwen2.5-0.5B-Instruct           # one JVM, no cluster
 * }
 */
@Command(name = "cna-discover", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.Provider.class,
        description = "Discovers a circuit, on a cna4j cluster with --cluster, and writes its file.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the circuit was written", "1:a failure while working (a member refused or failed, a model that "
                + "cannot be loaded)", "2:a usage error"})
public final class DiscoverMain implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", converter = ClusterAddress.Converter.class,
            description = "A member of the cluster to run on (repeatable). Without it, discovery runs in this JVM.")
    List<ClusterAddress> cluster = List.of();

    @Option(names = "--model", paramLabel = "FOLDER|hf:ID", description = "Model folder (the same path on every member) "
            + "or hf:owner/name. Default: the planted demo model, written to --planted-folder.")
    @Nullable String model;

    @Option(names = "--planted-folder", paramLabel = "FOLDER", description = "Where the planted demo model is written when "
            + "--model is not given (default: cna4j-planted-llama in the temporary folder; members on this machine read it).")
    @Nullable Path plantedFolder;

    @Option(names = "--positive", paramLabel = "FILE", description = "Prompts of the behaviour (.csv, .json, .jsonl, .txt). "
            + "Default: the library's 40 harmful requests.")
    @Nullable Path positive;

    @Option(names = "--negative", paramLabel = "FILE", description = "Contrast prompts. Default: the library's 40 benign requests.")
    @Nullable Path negative;

    @Option(names = "--limit", defaultValue = "1000000", description = "Most prompts used from each set (default: all).")
    int limit;

    @Option(names = "--top-fraction", defaultValue = "0.001", description = "Circuit size as a share of all MLP neurons (default: ${DEFAULT-VALUE}).")
    double topFraction;

    @Option(names = "--keep-universal", description = "Keep universal neurons: skip the universal filter and its 74 prompts.")
    boolean keepUniversal;

    @Option(names = "--shards-per-member", defaultValue = "4", description = "Shards per member (default: ${DEFAULT-VALUE}).")
    int shardsPerMember;

    @Option(names = "--out", defaultValue = "circuit.json", paramLabel = "FILE", description = "The circuit file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ModelLoading loading;

    @Option(names = "--verbose", description = "On an error, print the stack trace too.")
    boolean verbose;

    /** Runs cna-discover and exits with its status. */
    public static void main(String[] args) {
        System.exit(CliErrors.commandLine(new DiscoverMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (limit < 1) throw usage("--limit must be at least 1, got " + limit);
        if (!(topFraction > 0 && topFraction <= 1)) throw usage("--top-fraction must be above 0 and at most 1, got " + topFraction);
        if (shardsPerMember < 1) throw usage("--shards-per-member must be at least 1, got " + shardsPerMember);
        if (out.getParent() != null && !Files.isDirectory(out.getParent())) throw usage("--out: " + out.getParent() + ": no such folder");
        if (!cluster.isEmpty() && model != null && !model.startsWith("hf:") && !Path.of(model).isAbsolute()) {
            model = Path.of(model).toAbsolutePath().normalize().toString();   // members resolve it, maybe elsewhere
        }
        List<String> pos = positive != null ? prompts("--positive", positive) : BuiltInPrompts.harmful();
        List<String> neg = negative != null ? prompts("--negative", negative) : BuiltInPrompts.benign();
        JlamaModelSource source = (model != null ? JlamaModelSource.of(model) : JlamaModelSource.folder(planted())).withCache(loading.cache).withOptions(loading.options());
        PrintWriter stdout = spec.commandLine().getOut();
        try (SteerableModel m = source.open();
                ConsoleProgress bar = new ConsoleProgress()) {
            CircuitDiscovery discovery = Circuit.discover(m).positive(pos.subList(0, Math.min(limit, pos.size())))
                    .negative(neg.subList(0, Math.min(limit, neg.size()))).topFraction(topFraction).onProgress(bar);
            if (keepUniversal) discovery.includeUniversal();
            long start = System.nanoTime();
            Circuit circuit;
            if (cluster.isEmpty()) {
                circuit = discovery.run();
            } else {
                HazelcastInstance client = connect();
                try {
                    circuit = HazelcastDiscovery.on(client, source).shardsPerMember(shardsPerMember).onProgress(bar).run(discovery);
                } finally {
                    client.shutdown();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            circuit.save(out);
            stdout.printf("cna-discover: %d neurons from %d prompts in %.2f s (%.1f prompts/s, %s) -> %s%n", circuit.neurons().size(),
                    discovery.promptCount(), seconds, discovery.promptCount() / seconds,
                    cluster.isEmpty() ? "this JVM" : "cluster " + cluster, out);
            stdout.flush();
        }
        return 0;
    }

    private HazelcastInstance connect() {
        try {
            return HazelcastClient.newHazelcastClient(ClusterConfigs.client(cluster.stream().map(ClusterAddress::toString).toList()));
        } catch (IllegalStateException e) {
            throw new ClusterDiscoveryException("cannot reach a cna4j cluster at " + cluster + " (is ./cna4j worker running there?): "
                    + e.getMessage(), e);
        }
    }

    private Path planted() throws IOException {
        Path folder = plantedFolder != null ? plantedFolder : Path.of(System.getProperty("java.io.tmpdir"), "cna4j-planted-llama");
        if (!Files.exists(folder.resolve("model.safetensors"))) PlantedModel.builder().writeTo(folder);   // deterministic: same seed, same files
        return folder;
    }

    private List<String> prompts(String option, Path file) {
        if (!Files.exists(file)) throw usage(option + ": " + file + ": no such file");
        if (!PromptFiles.supports(file)) throw usage(option + ": " + file + ": not a prompt file; use " + String.join(", ", PromptFiles.EXTENSIONS));
        try {
            PromptSet set = PromptFiles.load(file, null, limit);
            return set.prompts();
        } catch (DataFileException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
