package io.cna4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cna4j.io.AtomicWrites;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Random-weight model folders of real shapes for benchmarks, written once and cached, so that every fork
 * (and every later run) of the suite reuses them.
 *
 * <p>Configs and tokenizers are read at run time from {@code $CNA_SHARED/models} (default {@code ../shared/models});
 * written folders go to {@code $CNA_BENCH_MODELS} (set by {@code run-benchmarks.sh} to
 * {@code cna-bench/target/bench-models}; default {@code target/bench-models}). A folder is written under a
 * temporary name and renamed when complete, so a crashed write is never mistaken for a model.
 */
final class BenchModels {
    /** Bump when the written bytes change, so stale caches are not reused. */
    private static final String VERSION = "v1";
    private static final long SEED = 2024;

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

    /** The cached BF16 random-weight folder of {@code shape}, written first if missing. */
    static Path folder(ModelShape shape) {
        Path root = cacheRoot();
        Path done = root.resolve(shape.id + "-bf16-seed" + SEED + "-" + VERSION);
        if (Files.isDirectory(done)) return done;
        try {
            Files.createDirectories(root);
            deleteAbandonedWrites(root, done);
            try {
                AtomicWrites.writeFolder(done, tmp -> {
                    RandomModelFolder recipe = RandomModelFolder.from(source(shape.source))
                            .dtype(SafetensorsWriter.DType.BF16).seed(SEED);
                    shape.configOverrides.forEach(recipe::override);
                    recipe.writeTo(tmp);
                    if (shape.padsVocabulary()) padVocabulary(tmp, (Integer) shape.configOverrides.get("vocab_size"));
                });
            } catch (FileAlreadyExistsException raced) {
                // another process finished the same folder first
            }
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("writing the " + shape.id + " model under " + root + " failed", e);
        }
    }

    /** Removes half-written staging folders of {@code done} older than an hour (a fork killed while writing). */
    private static void deleteAbandonedWrites(Path root, Path done) throws IOException {
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        String prefix = "." + done.getFileName() + ".";
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && AtomicWrites.isStagingName(name);
            }).toList()) {
                if (Files.getLastModifiedTime(p).toMillis() < hourAgo) deleteTree(p);
            }
        }
    }

    private static Path cacheRoot() {
        String env = System.getenv("CNA_BENCH_MODELS");
        return (env != null ? Path.of(env) : Path.of("target", "bench-models")).toAbsolutePath();
    }

    /**
     * Adds reserved tokens {@code <|reserved_N|>} to tokenizer.json's vocabulary up to {@code size} entries,
     * so that ids beyond the borrowed tokenizer's vocabulary decode. No merge produces them, so prompts
     * tokenize exactly as before.
     */
    static void padVocabulary(Path folder, int size) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path file = folder.resolve("tokenizer.json");
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        ObjectNode vocab = (ObjectNode) root.get("model").get("vocab");
        int next = 0;
        for (var it = vocab.elements(); it.hasNext(); ) next = Math.max(next, it.next().asInt() + 1);
        for (var t : root.path("added_tokens")) next = Math.max(next, t.get("id").asInt() + 1);
        for (int id = next; id < size; id++) vocab.put("<|reserved_" + id + "|>", id);
        AtomicWrites.write(file, json.writeValueAsBytes(root)); // a rename: the copied file may be read-only
    }

    /** Deletes a folder and everything in it (best effort). */
    static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
