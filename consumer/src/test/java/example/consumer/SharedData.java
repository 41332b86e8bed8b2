package example.consumer;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The data the snippets read: JailbreakBench's two CSV files from the shared folder next to the repository. */
final class SharedData {
    private SharedData() {}

    /** {@code $CNA_SHARED/data/jailbreakbench}, by default {@code ../../shared} seen from consumer/; fails when absent. */
    static Path jbb() {
        String env = System.getenv("CNA_SHARED");
        Path shared = Path.of(env != null && !env.isBlank() ? env : "../../shared").toAbsolutePath().normalize();
        Path jbb = shared.resolve("data/jailbreakbench");
        if (!Files.isRegularFile(jbb.resolve("harmful.csv")) || !Files.isRegularFile(jbb.resolve("benign.csv"))) {
            fail(jbb + " lacks harmful.csv or benign.csv: the consumer check needs the shared data "
                    + "(set CNA_SHARED to the folder that holds data/jailbreakbench)");
        }
        return jbb;
    }
}
