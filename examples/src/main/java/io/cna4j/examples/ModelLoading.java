package io.cna4j.examples;

import io.cna4j.jlama.JlamaOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The model-loading options that {@code demo}, {@code discover} and {@code tune} share, as a picocli mixin: where
 * {@code hf:} models are downloaded, and whether cna4j's kernels read the weights as stored or as Q8_0 copies.
 *
 * {@snippet :
 * @Mixin ModelLoading loading;
 * // ...
 * JlamaSteerableModel m = JlamaModels.loadFolderOrHub(model, loading.cache, loading.options());
 * }
 */
final class ModelLoading {
    /** The weights' form: {@code --weights stored} or {@code --weights q8_0} (any case). */
    enum WeightsForm {
        /** As stored in the model folder (F32 or BF16). */
        STORED,
        /** cna4j's Q8_0 copies ({@link JlamaOptions.Quantization#Q8_0}). */
        Q8_0
    }

    @Option(names = "--cache", defaultValue = "${user.home}/.cache/cna4j/models", paramLabel = "FOLDER",
            description = "Where hf: models are downloaded (default: ${DEFAULT-VALUE}).")
    Path cache;

    @Option(names = "--weights", defaultValue = "stored", paramLabel = "stored|q8_0",
            description = "The weights as stored, or q8_0: int8 copies made at load, with a float scale per 32 values. "
                    + "q8_0 decodes 1.2-1.4x faster on the benchmark models, moves the logits by about 1.5 %% of the "
                    + "largest and needs about 1.1 bytes of Java heap per weight (default: ${DEFAULT-VALUE}).")
    WeightsForm weights;

    /** The loading options these flags ask for. */
    JlamaOptions options() {
        return weights == WeightsForm.Q8_0 ? JlamaOptions.defaults().quantize(JlamaOptions.Quantization.Q8_0) : JlamaOptions.defaults();
    }
}
