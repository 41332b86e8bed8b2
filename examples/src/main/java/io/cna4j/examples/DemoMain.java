package io.cna4j.examples;

import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaOptions;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.NeuronId;
import io.cna4j.model.Prompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The README's main job: loads a model and prints its answer to a prompt, unsteered and with a few MLP
 * neurons ablated (multiplied by 0) through an interceptor; the weights are never modified.
 *
 * {@snippet lang="shell" :
 * ./cna4j demo --model ~/models/SmolLM2-135M-Instruct --prompt "How do I pick a lock?"
 * ./cna4j demo --random-from ../shared/models/SmolLM2-135M-Instruct   # random weights of that shape
 * }
 */
@Command(name = "cna-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints a model's answer unsteered and with MLP neurons ablated by an interceptor.")
public final class DemoMain implements Callable<Integer> {

    @Option(names = "--model", description = "Model folder or Hugging Face Hub id (owner/name).")
    String model;

    @Option(names = "--random-from", description = "Instead of --model: a folder with a real config.json and tokenizer; "
            + "random weights of its exact shape are written to a temporary folder and used.")
    Path randomFrom;

    @Option(names = "--prompt", defaultValue = "Explain how a bicycle works.", description = "The user message (default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(names = "--ablate", split = ",", description = "Neurons to ablate as layer:neuron (e.g. 28:1023,29:7). "
            + "Default: the --top neurons most active at the prompt's last token.")
    List<String> ablate = new ArrayList<>();

    @Option(names = "--top", defaultValue = "8", description = "How many of the most active neurons to ablate when --ablate is not given (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--max-tokens", defaultValue = "40", description = "New tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--cache", defaultValue = "${user.home}/.cache/cna4j/models", description = "Where Hub models are downloaded.")
    Path cache;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (randomFrom == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give exactly one of --model or --random-from");
        }
        Path folder;
        String source;
        if (randomFrom != null) {
            folder = Files.createTempDirectory("cna4j-random-model");
            System.out.println("Writing random weights of " + randomFrom.getFileName() + "'s shape to " + folder + " ...");
            RandomModelFolder.from(randomFrom).writeTo(folder);
            source = "random weights, shape of " + randomFrom.getFileName() + " (a constructed model: expect nonsense text)";
        } else {
            folder = null;
            source = model;
        }
        try (JlamaSteerableModel m = folder != null ? JlamaModels.load(folder)
                : JlamaModels.loadFolderOrHub(model, cache, JlamaOptions.defaults())) {
            System.out.println("Model: " + source);
            System.out.println("       " + m.info().layers() + " layers x " + m.info().neuronsPerLayer() + " MLP neurons, "
                    + m.info().architecture());
            Prompt p = m.hasChatTemplate() ? Prompt.chat(prompt) : Prompt.raw(prompt);
            List<NeuronId> neurons = ablate.isEmpty() ? mostActive(m, p, top) : ablate.stream().map(DemoMain::parse).toList();
            GenerationOptions opts = GenerationOptions.greedy(maxTokens);
            Generation plain = m.generate(p, opts, ActivationInterceptor.NONE);
            Generation steered = m.generate(p, opts, new Ablation(neurons));
            System.out.println("\nPrompt: " + prompt);
            System.out.println("\n-- unsteered (" + plain.tokens().length + " tokens) --\n" + plain.text().strip());
            System.out.println("\n-- " + neurons.size() + " neurons ablated: " + neurons + " --\n" + steered.text().strip());
            System.out.println("\nThe outputs " + (plain.text().equals(steered.text()) ? "are identical." : "differ."));
        } finally {
            if (folder != null) deleteTree(folder);
        }
        return 0;
    }

    /** The {@code k} neurons with the largest |activation| at the prompt's last token, over all layers. */
    private static List<NeuronId> mostActive(JlamaSteerableModel m, Prompt p, int k) {
        Map<NeuronId, Float> values = new HashMap<>();
        m.forward(p, new ActivationInterceptor() {
            @Override
            public void onMlpActivation(ActivationRows rows) {
                for (int r = 0; r < rows.rowCount(); r++) {
                    if (!rows.isLastPromptToken(r)) continue;
                    for (int c = 0; c < rows.width(); c++) values.put(NeuronId.of(rows.layer(), c), Math.abs(rows.get(r, c)));
                }
            }
        });
        return values.entrySet().stream()
                .sorted(Map.Entry.<NeuronId, Float>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(k).map(Map.Entry::getKey).sorted(Comparator.naturalOrder()).toList();
    }

    private static NeuronId parse(String s) {
        String[] parts = s.split(":");
        if (parts.length != 2) throw new IllegalArgumentException("--ablate takes layer:neuron, got '" + s + "'");
        return NeuronId.of(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
    }

    /** Multiplies the given neurons by 0 at every position. */
    private record Ablation(List<NeuronId> neurons) implements ActivationInterceptor {
        @Override
        public void onMlpActivation(ActivationRows rows) {
            for (NeuronId n : neurons) {
                if (n.layer() != rows.layer()) continue;
                for (int r = 0; r < rows.rowCount(); r++) rows.set(r, n.neuron(), 0f);
            }
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
