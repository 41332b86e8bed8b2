package io.cna4j.jlama;

/**
 * A model folder that cannot be loaded: something missing, corrupt, or of an unsupported architecture.
 * The message names the folder or file and the problem.
 *
 * {@snippet :
 * try {
 *     JlamaModels.load(Path.of("models/missing"));
 * } catch (ModelLoadException e) {
 *     System.err.println(e.getMessage()); // "models/missing: model folder does not exist"
 * }
 * }
 */
public final class ModelLoadException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
