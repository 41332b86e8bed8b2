package io.cna4j.circuit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A circuit file could not be read: truncated, not JSON, an unknown schema version, or a missing or
 * malformed field. The message names the file.
 *
 * {@snippet :
 * try {
 *     Circuit.load(Path.of("refusal.circuit.json"));
 * } catch (CircuitFileException e) {
 *     System.err.println(e.file() + ": " + e.getMessage());
 * }
 * }
 */
public final class CircuitFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public CircuitFileException(Path file, String problem, Throwable cause) {
        super("circuit file " + file + ": " + problem, cause);
        this.file = file;
    }

    public CircuitFileException(Path file, String problem) {
        super("circuit file " + file + ": " + problem);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
