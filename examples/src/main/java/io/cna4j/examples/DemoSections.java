package io.cna4j.examples;

import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.CircuitNeuron;
import io.cna4j.circuit.CircuitOverlap;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.report.ReportSection;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The sections cna-demo adds to {@code report.md}, so that the report holds what the console showed: the run
 * (cna4j version, command line, model, prompt sets), the circuit's neurons with their mu, the universal neurons
 * removed, the recall of a planted gate, and the base model's comparison.
 *
 * {@snippet :
 * List<ReportSection> sections = List.of(DemoSections.run(args, "Qwen2.5-0.5B-Instruct", model.info(), pos, neg),
 *         DemoSections.circuit(circuit));
 * }
 */
final class DemoSections {
    private DemoSections() {}

    /** The run: version, command line, model, prompt sets. */
    static ReportSection run(List<String> args, String modelName, ModelInfo info, PromptSet pos, PromptSet neg,
            double topFraction, int maxTokens) {
        String md = "- cna4j " + Version.get() + "\n"
                + "- Command line: `" + commandLine(args).replace("`", "'") + "`\n"
                + "- Model: " + escape(modelName) + " — " + info.layers() + " layers x " + info.neuronsPerLayer()
                + " MLP neurons (" + info.architecture() + ")\n"
                + "- Prompts: " + pos.size() + " positive (" + escape(pos.name()) + "), " + neg.size() + " negative ("
                + escape(neg.name()) + ")\n"
                + "- Circuit size: top fraction " + topFraction + " of all MLP neurons; at most " + maxTokens
                + " new tokens per response\n";
        return new ReportSection("Run", md);
    }

    /** The circuit: size, share in the last layers, every neuron with its mu, the universal neurons removed. */
    static ReportSection circuit(Circuit c) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%d neurons (%d universal removed), %.0f %% in the last 10 %% of layers.%n%n",
                c.size(), c.universalNeuronsRemoved().size(), 100 * c.analysis().shareInLastTenthOfLayers()));
        md.append("| rank | neuron | layer | index | mu | mean positive | mean negative |\n|---:|---|---:|---:|---:|---:|---:|\n");
        for (CircuitNeuron n : c.neurons()) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %.6g | %.6g | %.6g |%n", n.rank(), n.id(),
                    n.layer(), n.neuron(), n.mu(), n.meanPositive(), n.meanNegative()));
        }
        md.append("\nUniversal neurons removed (they fire on almost any prompt): ");
        md.append(c.universalNeuronsRemoved().isEmpty() ? "none"
                : c.universalNeuronsRemoved().stream().map(NeuronId::toString).collect(Collectors.joining(", ")));
        md.append(".\n");
        return new ReportSection("Circuit", md.toString());
    }

    /** The share of a planted gate that discovery found, and the gate neurons it missed. */
    static ReportSection recall(List<NeuronId> gate, Circuit c) {
        List<NeuronId> missed = new ArrayList<>();
        for (NeuronId id : gate) if (!c.contains(id)) missed.add(id);
        int found = gate.size() - missed.size();
        String md = String.format(Locale.ROOT, "Recall of the planted gate neurons: %d of %d (%.0f %%).", found,
                gate.size(), 100.0 * found / gate.size())
                + (missed.isEmpty() ? "" : " Missed: " + missed.stream().map(NeuronId::toString).collect(Collectors.joining(", ")) + ".")
                + "\n";
        return new ReportSection("Planted circuit", md);
    }

    /** The base model's refusal change and the overlap of the two circuits; its own report is in {@code base/}. */
    static ReportSection base(String baseName, @Nullable Double refusalChange, CircuitOverlap o) {
        String md = "Base model " + escape(baseName) + ": "
                + (refusalChange == null ? "refusal change at m = 0 not measured (the sweep has no m = 0 or m = 1)"
                        : String.format(Locale.ROOT, "refusal change at m = 0: %+.2f", refusalChange))
                + String.format(Locale.ROOT, "; circuit overlap: %.0f %% of instruct's, Jaccard %.3f.", 100 * o.shareOfFirst(),
                        o.jaccard())
                + " Its report: [base/report.md](base/report.md).\n";
        return new ReportSection("Base model", md);
    }

    /** The arguments as one shell-quoted line, starting with the program's name. */
    static String commandLine(List<String> args) {
        StringBuilder b = new StringBuilder("cna-demo");
        for (String a : args) {
            b.append(' ').append(a.matches("[\\w@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'");
    }
}
