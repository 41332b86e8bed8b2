package io.cna4j.jlama.planted;

import io.cna4j.jlama.Architecture;
import io.cna4j.model.NeuronId;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PlantedModel} wrote: the folder and the ground truth of its circuit.
 *
 * {@snippet :
 * PlantedModelSpec spec = PlantedModel.builder().writeTo(Path.of("target/planted"));
 * try (var model = JlamaModels.load(spec.folder())) {
 *     // score a discovered circuit against spec.gate()
 * }
 * }
 *
 * @param folder         the model folder (config, tokenizer, chat template, weights)
 * @param architecture   {@link Architecture#LLAMA} or {@link Architecture#QWEN2}
 * @param base           true for the base sibling, which has no refusal gate and complies with everything
 * @param gate           G: the neurons that cause refusal (empty for a base model); sorted
 * @param universal      U: neurons that fire strongly on every prompt and whose mean still differs between
 *                       harmful and benign prompts; sorted
 * @param distractors    D: neurons that fire on harm but do not write the refusal; sorted
 * @param harmWords      the words whose presence makes the instruct model refuse
 * @param harmTokenIds   the token ids that carry the harm signal, sorted
 * @param refusalText    the instruct model's answer to a harmful request
 * @param complianceText the answer to every other request (and the base model's to all)
 */
public record PlantedModelSpec(Path folder, Architecture architecture, boolean base, List<NeuronId> gate,
                               List<NeuronId> universal, List<NeuronId> distractors, List<String> harmWords,
                               List<Integer> harmTokenIds, String refusalText, String complianceText) {

    public PlantedModelSpec {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(architecture, "architecture");
        gate = List.copyOf(gate);
        universal = List.copyOf(universal);
        distractors = List.copyOf(distractors);
        harmWords = List.copyOf(harmWords);
        harmTokenIds = List.copyOf(harmTokenIds);
        Objects.requireNonNull(refusalText, "refusalText");
        Objects.requireNonNull(complianceText, "complianceText");
    }
}
