package io.cna4j.eval.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file that cannot be used: missing, empty, not valid CSV or JSON, or lacking an expected column or
 * value. The message always names the file, and the line where one is known.
 *
 * {@snippet :
 * try {
 *     PromptSet harmful = PromptDatasets.jbb(Path.of("data/harmful.csv"));
 * } catch (DataFileException e) {
 *     System.err.println(e.getMessage());   // "data/harmful.csv, line 7: empty Goal"
 * }
 * }
 */
public final class DataFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final int line;

    /** A problem with the file as a whole (no line). */
    public DataFileException(Path file, String problem) {
        this(file, 0, problem, null);
    }

    /** A problem at {@code line} (1-based; 0 for none). */
    public DataFileException(Path file, int line, String problem) {
        this(file, line, problem, null);
    }

    /** A problem at {@code line} (1-based; 0 for none) with its cause. */
    public DataFileException(Path file, int line, String problem, @org.jspecify.annotations.Nullable Throwable cause) {
        super(file + (line > 0 ? ", line " + line : "") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.file = file;
        this.line = line;
    }

    /** The file that has the problem. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
