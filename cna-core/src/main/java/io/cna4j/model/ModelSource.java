package io.cna4j.model;

import java.io.Serializable;

/**
 * A recipe for opening a model, small and serialisable, so that the model itself never travels: a worker
 * process or cluster member receives the recipe and opens the model once, locally. Equal recipes must open
 * the same model (a worker may cache one model per recipe), so implementations are value types, typically
 * records. A backend provides one (cna-models: {@code JlamaModelSource}).
 *
 * {@snippet :
 * ModelSource source = JlamaModelSource.of("hf:Qwen/Qwen2.5-0.5B-Instruct");   // or a folder path
 * try (SteerableModel model = source.open()) {
 *     System.out.println(source.description() + ": " + model.info().fingerprint());
 * }
 * }
 */
public interface ModelSource extends Serializable {

    /**
     * Opens the model; the caller closes it.
     *
     * @throws RuntimeException the backend's load error (e.g. cna-models' {@code ModelLoadException}) when the
     *         recipe cannot be opened here
     */
    SteerableModel open();

    /** What this recipe opens, for messages, e.g. {@code "hf:Qwen/Qwen2.5-0.5B-Instruct (F32)"}. */
    String description();
}
