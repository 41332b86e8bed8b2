package io.cna4j.eval.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared data folder ({@code $CNA_SHARED/data}, falling back to {@code ../shared/data}), read in place at
 * test time. When it is missing, tests fail on CI ({@code CI=true}) and are skipped elsewhere.
 */
public final class SharedData {
    private SharedData() {}

    /** {@code data/<relative>} under the shared folder, failing or skipping the test when it is absent. */
    public static Path file(String relative) {
        String env = System.getenv("CNA_SHARED");
        Path root = Path.of(env == null || env.isBlank() ? "../shared" : env).toAbsolutePath().normalize();
        Path p = root.resolve("data").resolve(relative);
        if (!Files.exists(p)) {
            String message = "shared data not found: " + p + " (set CNA_SHARED to the folder that holds data/)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(message);
            assumeTrue(false, message);
        }
        return p;
    }
}
