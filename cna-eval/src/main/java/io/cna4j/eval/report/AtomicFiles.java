package io.cna4j.eval.report;

import io.cna4j.io.AtomicWrites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@link AtomicWrites} for reports, with the failure unchecked and naming the file: readers never see a
 * half-written report, and the file gets the permissions of any new file (0666 less the umask), not those of a
 * private temporary file.
 *
 * {@snippet :
 * AtomicFiles.write(Path.of("cna-report/report.md"), "# Report\n");
 * }
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes {@code text} as UTF-8. */
    public static Path write(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes}, creating parent folders. */
    public static Path write(Path file, byte[] bytes) {
        try {
            return AtomicWrites.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
