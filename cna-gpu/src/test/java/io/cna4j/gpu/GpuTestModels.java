package io.cna4j.gpu;

import io.cna4j.jlama.fixtures.RandomModelFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small random-weight model (SmolLM2 tokenizer and template, 3 layers x 128 neurons, hidden 64), written once per JVM. */
final class GpuTestModels {
    private static Path tiny;

    private GpuTestModels() {}

    static synchronized Path tinySmol() {
        if (tiny == null) {
            try {
                Path dir = Files.createTempDirectory("cna-gpu-tiny");
                dir.toFile().deleteOnExit();
                tiny = RandomModelFolder.from(GpuTestBase.shared().resolve("models/SmolLM2-135M-Instruct"))
                        .layers(3).hiddenSize(64).intermediateSize(128).heads(4, 2).scale(0.25f).seed(11)
                        .writeTo(dir.resolve("tiny-smol"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tiny;
    }
}
