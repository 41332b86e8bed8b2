package io.cna4j.bench;

import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Random-weight model folders of real shapes for benchmarks, written from the configs and tokenizers in
 * {@code ../shared/models} (or {@code $CNA_SHARED/models}).
 */
final class BenchModels {
    private BenchModels() {}

    /** The folder of a real config + tokenizer, e.g. {@code SmolLM2-135M-Instruct}. */
    static Path source(String name) {
        String env = System.getenv("CNA_SHARED");
        Path shared = env != null ? Path.of(env) : Path.of("..", "shared");
        Path p = shared.resolve("models").resolve(name);
        if (!Files.isRegularFile(p.resolve("config.json"))) {
            throw new IllegalStateException("benchmarks need " + p.toAbsolutePath() + " (set CNA_SHARED to the shared folder)");
        }
        return p;
    }

    /** Writes random weights of {@code name}'s exact shape into a new temporary folder. */
    static Path write(String name, SafetensorsWriter.DType dtype) throws IOException {
        return RandomModelFolder.from(source(name)).dtype(dtype).seed(2024).writeTo(Files.createTempDirectory("cna4j-bench-" + name));
    }
}
