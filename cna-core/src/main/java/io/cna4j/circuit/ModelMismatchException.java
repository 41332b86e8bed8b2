package io.cna4j.circuit;

/**
 * A circuit was loaded or used against a model other than the one it was discovered on.
 *
 * {@snippet :
 * try {
 *     Circuit.load(Path.of("refusal.circuit.json"), model.info());
 * } catch (ModelMismatchException e) {
 *     System.err.println(e.getMessage());   // names both models and their fingerprints
 * }
 * }
 */
public final class ModelMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelMismatchException(String message) {
        super(message);
    }
}
