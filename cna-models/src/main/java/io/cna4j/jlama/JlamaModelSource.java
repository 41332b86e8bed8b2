package io.cna4j.jlama;

import io.cna4j.model.ModelSource;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A serialisable recipe for a jlama model: a folder path or a Hugging Face Hub id written {@code hf:owner/name},
 * the download cache for Hub ids, and the {@link JlamaOptions}. Each process that {@link #open()}s it loads the
 * model itself ({@link JlamaModels#loadFolderOrHub}): on a cluster, the folder must exist at this path on every
 * machine, or the Hub must be reachable from each.
 *
 * {@snippet :
 * ModelSource local = JlamaModelSource.of("/models/Qwen2.5-0.5B-Instruct");
 * ModelSource hub = JlamaModelSource.of("hf:Qwen/Qwen2.5-0.5B-Instruct")
 *         .withOptions(JlamaOptions.defaults().quantize(JlamaOptions.Quantization.Q8_0));
 * try (JlamaSteerableModel model = hub.open()) { ... }
 * }
 *
 * @param location folder path, or {@code hf:owner/name}
 * @param cacheDir where Hub models are downloaded (unused for folders)
 * @param options  how jlama loads the weights
 */
public record JlamaModelSource(String location, String cacheDir, JlamaOptions options) implements ModelSource {
    private static final long serialVersionUID = 1L;

    /** The default download cache for Hub ids, {@code ~/.cache/cna4j/models}. */
    public static final String DEFAULT_CACHE = Path.of(System.getProperty("user.home"), ".cache", "cna4j", "models").toString();

    public JlamaModelSource {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(options, "options");
        if (location.isBlank()) throw new IllegalArgumentException("model location is blank");
    }

    /** A folder, or {@code hf:owner/name}, with the default cache and options. */
    public static JlamaModelSource of(String folderOrHubId) {
        return new JlamaModelSource(folderOrHubId, DEFAULT_CACHE, JlamaOptions.defaults());
    }

    /** A local folder (made absolute, so that it means the same in every process started from another folder). */
    public static JlamaModelSource folder(Path folder) {
        return of(folder.toAbsolutePath().normalize().toString());
    }

    /** This recipe with other load options. */
    public JlamaModelSource withOptions(JlamaOptions o) {
        return new JlamaModelSource(location, cacheDir, o);
    }

    /** This recipe with another download cache for Hub ids. */
    public JlamaModelSource withCache(Path dir) {
        return new JlamaModelSource(location, dir.toString(), options);
    }

    /** @throws ModelLoadException when the folder is missing, is not a model, or the download fails */
    @Override
    public JlamaSteerableModel open() {
        return JlamaModels.loadFolderOrHub(location, Path.of(cacheDir), options);
    }

    @Override
    public String description() {
        return location + " (" + options.quantization() + (options.threads() > 0 ? ", " + options.threads() + " threads" : "") + ")";
    }
}
