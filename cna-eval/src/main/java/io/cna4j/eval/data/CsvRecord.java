package io.cna4j.eval.data;

import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One record of a CSV file read by {@link CsvRecords}, with the line it starts on for error messages.
 *
 * {@snippet :
 * for (CsvRecord r : CsvRecords.read(file, List.of("answer"))) {
 *     int answer = r.intValue("answer");   // DataFileException naming file and line if not an integer
 * }
 * }
 *
 * @param file   the file it was read from
 * @param line   the 1-based line the record starts on
 * @param values column name to value
 */
public record CsvRecord(Path file, int line, Map<String, String> values) {

    /** The value of {@code column}, or null when the record has none. */
    public @Nullable String get(String column) {
        return values.get(column);
    }

    /** The value of a column that {@link CsvRecords#read} was told is required. */
    public String required(String column) {
        String v = values.get(column);
        if (v == null) throw error("missing " + column);
        return v;
    }

    /** The value of {@code column} as an integer. */
    public int intValue(String column) {
        String v = required(column).strip();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new DataFileException(file, line, column + " is not an integer: '" + v + "'", e);
        }
    }

    /** An exception about this record, naming its file and line. */
    public DataFileException error(String problem) {
        return new DataFileException(file, line, problem);
    }
}
