package io.cna4j.jlama.planted;

import java.util.Objects;

/**
 * An instruct model and its base sibling, written by {@link PlantedModel#writePair}: same tokenizer,
 * embeddings and harm-reading structure; only the instruct model has the refusal gate.
 *
 * {@snippet :
 * PlantedPair pair = PlantedModel.writePair(Path.of("target/planted"));
 * pair.instruct().gate();   // the planted refusal neurons
 * pair.base().folder();     // complies with everything
 * }
 *
 * @param instruct the model with the refusal gate
 * @param base     the sibling without it
 */
public record PlantedPair(PlantedModelSpec instruct, PlantedModelSpec base) {
    public PlantedPair {
        Objects.requireNonNull(instruct, "instruct");
        Objects.requireNonNull(base, "base");
    }
}
