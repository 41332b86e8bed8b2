package io.cna4j.jlama;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Random-weight model folders for tests, written once per test JVM from the real configs and tokenizers in
 * {@code ../shared/models}. Missing {@code ../shared}: a failure under {@code CI=true}, a skip elsewhere.
 */
public final class TestModels {
    private static final Map<String, Path> CACHE = new ConcurrentHashMap<>();
    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("cna4j-test-models");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(ROOT)));
    }

    private TestModels() {}

    public static Path shared() {
        String env = System.getenv("CNA_SHARED");
        Path p = env != null ? Path.of(env) : Path.of("..", "shared");
        if (!Files.isDirectory(p.resolve("models"))) {
            String msg = "../shared/models is missing (looked at " + p.toAbsolutePath() + ")";
            if ("true".equals(System.getenv("CI"))) fail(msg + ": CI must provide it");
            assumeTrue(false, msg);
        }
        return p;
    }

    public static Path smolSource() {
        return shared().resolve("models/SmolLM2-135M-Instruct");
    }

    public static Path qwenSource() {
        return shared().resolve("models/Qwen2.5-0.5B-Instruct");
    }

    /** SmolLM2 tokenizer and template, 3 layers x 128 neurons, hidden 64, GQA 4/2, weights large enough that MLPs move the argmax. */
    static Path tinySmol() {
        return cached("tiny-smol", () -> RandomModelFolder.from(smolSource())
                .layers(3).hiddenSize(64).intermediateSize(128).heads(4, 2).scale(0.25f).seed(11));
    }

    /** Qwen2 tokenizer and template, 2 layers x 96 neurons, hidden 64, GQA 4/2. */
    static Path tinyQwen() {
        return cached("tiny-qwen", () -> RandomModelFolder.from(qwenSource())
                .layers(2).hiddenSize(64).intermediateSize(96).heads(4, 2).scale(0.25f).seed(12));
    }

    /** The exact SmolLM2-135M-Instruct shape, random F32 weights. */
    static Path smol135m() {
        return cached("smol-135m", () -> RandomModelFolder.from(smolSource()).seed(13));
    }

    /** The exact Qwen2.5-0.5B-Instruct shape, random BF16 weights (1 GB on disk). */
    static Path qwen05b() {
        return cached("qwen-0.5b", () -> RandomModelFolder.from(qwenSource()).dtype(SafetensorsWriter.DType.BF16).seed(14));
    }

    interface Recipe {
        RandomModelFolder recipe();
    }

    private static Path cached(String name, Recipe r) {
        return CACHE.computeIfAbsent(name, n -> {
            try {
                return r.recipe().writeTo(ROOT.resolve(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A writable copy of a model folder, for tests that break it. */
    static Path copyOf(Path folder, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> s = Files.list(folder)) {
            for (Path f : (Iterable<Path>) s::iterator) Files.copy(f, target.resolve(f.getFileName()));
        }
        return target;
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
