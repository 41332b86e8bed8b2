package io.cna4j.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cna4j.eval.data.DataFileException;
import io.cna4j.eval.sweep.SweepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A sweep's results as pretty-printed JSON (Jackson), the machine-readable half of a report, and back.
 *
 * {@snippet :
 * SweepJson.write(result, Path.of("cna-report/sweep.json"));
 * SweepResult again = SweepJson.read(Path.of("cna-report/sweep.json"));
 * }
 */
public final class SweepJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepJson() {}

    /** The JSON text of {@code result}. */
    public static String toJson(SweepResult result) {
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise sweep result: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code result} to {@code file} atomically. */
    public static Path write(SweepResult result, Path file) {
        return AtomicFiles.write(file, toJson(result) + "\n");
    }

    /**
     * Reads a result written by {@link #write}.
     *
     * @throws DataFileException naming the file and line if it is missing or not a sweep result
     */
    public static SweepResult read(Path file) {
        try {
            return MAPPER.readValue(file.toFile(), SweepResult.class);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new DataFileException(file, line, "not a sweep result: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            if (e instanceof java.io.FileNotFoundException || e instanceof java.nio.file.NoSuchFileException) {
                throw new DataFileException(file, 0, "file not found", e);
            }
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
