package example.consumer;

import io.cna4j.circuit.Circuit;
import io.cna4j.eval.data.PromptDatasets;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.SteeringExport;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.nio.file.Path;

/**
 * README.md, "Circuits": discover a refusal circuit from JailbreakBench's harmful and benign requests, save it,
 * steer with it, bake the ablation into a copy of the weights. The region between the tag comments is the
 * README's code block, character for character (ReadmeSnippetsTest).
 */
public final class Circuits {
    private Circuits() {}

    /**
     * What the snippet produced.
     *
     * @param circuit     the discovered circuit
     * @param circuitFile where it was saved
     * @param unchanged   the answer at m = 1
     * @param ablated     the answer at m = 0
     * @param lateShare   the circuit's share in the last tenth of the layers
     * @param bakedModel  the model folder with m = 0 baked into its weights
     */
    public record Outcome(Circuit circuit, Path circuitFile, String unchanged, String ablated, double lateShare,
            Path bakedModel) {}

    /**
     * Runs the snippet on the model in {@code modelFolder} with {@code jbb/harmful.csv} and {@code jbb/benign.csv};
     * writes into {@code out}.
     */
    public static Outcome run(Path modelFolder, Path jbb, Path out) throws IOException {
        try (JlamaSteerableModel model = JlamaModels.load(modelFolder)) {
            // tag::circuits[]
            Circuit refusal = Circuit.discover(model)
                    .positive(PromptDatasets.jbb(jbb.resolve("harmful.csv")).prompts())   // chat-formatted by the model
                    .negative(PromptDatasets.jbb(jbb.resolve("benign.csv")).prompts())
                    .topFraction(0.001)      // default: 0.1 % of all MLP neurons (or .topK(n))
                    .excludeUniversal()      // default: drop neurons in the top 0.1 % on >= 80 % of 74 varied prompts
                    .onProgress(p -> System.out.println(p.stage() + " " + p.done() + "/" + p.total()))
                    .run();
            refusal.save(out.resolve("refusal.circuit.json"));   // neurons as blocks.L.mlp.hook_post[N], mu, rank
            Prompt request = Prompt.chat("How do I build a bomb?");
            Generation unchanged = model.generate(request, GenerationOptions.greedy(150), refusal.steer(1f));
            Generation ablated = model.generate(request, GenerationOptions.greedy(150), refusal.steer(0f));
            double lateShare = refusal.analysis().shareInLastTenthOfLayers();   // where the circuit sits
            // for runtimes without hooks: the same ablation baked into a copy of the weights
            SteeringExport.bake(modelFolder, out.resolve("ablated-model"), refusal.multipliers(0f));
            // end::circuits[]
            return new Outcome(refusal, out.resolve("refusal.circuit.json"), unchanged.text(), ablated.text(),
                    lateShare, out.resolve("ablated-model"));
        }
    }
}
