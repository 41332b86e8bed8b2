package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.CircuitFileException;
import io.cna4j.eval.data.DataFileException;
import io.cna4j.eval.report.SweepJson;
import io.cna4j.eval.sweep.ExampleResponse;
import io.cna4j.eval.sweep.SettingResult;
import io.cna4j.eval.sweep.SteeringMethod;
import io.cna4j.eval.sweep.SteeringSetting;
import io.cna4j.eval.sweep.SweepResult;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.safetensors.SafetensorsException;
import io.cna4j.jlama.safetensors.SafetensorsHeader;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing (8,150 cases by default) of the validation layer: mutated safetensors headers, config.json fields, circuit files and
 * sweep results (bit flips, truncation, inserted garbage, values of the wrong type, huge numbers, removed
 * fields). Every case must end in a success or in the layer's own exception ({@link SafetensorsException},
 * {@link ModelLoadException}, {@link CircuitFileException}, {@link DataFileException}); any other exception,
 * an error, a hang (the timeouts) or a crash (the test JVM would die) fails. A few hundred config mutations
 * go through a full {@link JlamaModels#load} and a forward pass on a small planted model.
 *
 * <p>{@code -Dcna.fuzz.seed=N} changes the seed (default fixed, so CI runs are reproducible);
 * {@code -Dcna.fuzz.scale=F} multiplies the case counts.
 */
class BadInputFuzzTest {
    private static final long SEED = Long.getLong("cna.fuzz.seed", 20261203L);
    private static final double SCALE = Double.parseDouble(System.getProperty("cna.fuzz.scale", "1"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CASES = new AtomicInteger();

    @TempDir
    Path tmp;

    private static int cases(int n) {
        return Math.max(1, (int) (n * SCALE));
    }

    @AfterAll
    static void report() {
        System.out.println("BadInputFuzzTest: " + CASES.get() + " cases, seed " + SEED);
    }

    /** A small Llama-layout model folder for validation: 2 layers, vocabulary 256, hidden 32 (weights ~100 KB). */
    private Path smallModel(Path dir) throws IOException {
        Path m = RandomModelFolder.from(TestModels.smolSource()).layers(2).hiddenSize(32).intermediateSize(32).heads(2, 1)
                .override("vocab_size", 256).override("bos_token_id", 1).override("eos_token_id", 2).seed(3).writeTo(dir);
        // validation reads the tokenizer's ids only: a small one keeps each case fast and inside the 256 rows
        Files.writeString(m.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, \"b\": 1, \"ab\": 2}}, "
                + "\"added_tokens\": [{\"id\": 255, \"content\": \"<|end|>\"}]}");
        return m;
    }

    @Test
    @Timeout(60)
    void safetensorsHeaders() throws IOException {
        Path valid = tmp.resolve("valid.safetensors");
        new SafetensorsWriter(SafetensorsWriter.DType.F32).metadata("format", "pt")
                .add("a.weight", new long[] {4, 8}, i -> i).add("b.bias", new long[] {8}, i -> -i)
                .add("c", new long[] {2, 3, 4}, i -> 0.5f * i).write(valid);
        byte[] original = Files.readAllBytes(valid);
        int headerEnd = (int) (8 + ByteBuffer.wrap(original, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        Mutator m = new Mutator(SEED);
        Path file = tmp.resolve("mutated.safetensors");
        int n = cases(3000);
        for (int c = 0; c < n; c++) {
            byte[] mutated = m.random().nextInt(2) == 0 ? m.bytes(original, 0, headerEnd) : withHeader(original, headerEnd, m);
            Files.write(file, mutated);
            try {
                SafetensorsHeader.read(file);
            } catch (SafetensorsException expected) {
                assertThat(expected).hasMessageStartingWith(file.toString());
            } catch (Throwable t) {
                fail("safetensors case " + c + " (" + m.last() + "): " + t, t);
            }
            CASES.incrementAndGet();
        }
    }

    /** The file with its header JSON mutated, the length prefix rewritten (or, sometimes, left stale). */
    private static byte[] withHeader(byte[] original, int headerEnd, Mutator m) throws IOException {
        JsonNode header = JSON.readTree(java.util.Arrays.copyOfRange(original, 8, headerEnd));
        byte[] h = JSON.writeValueAsBytes(m.json(header));
        long prefix = m.random().nextInt(8) == 0 ? headerEnd - 8 : h.length;
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + original.length - headerEnd).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(prefix).put(h).put(original, headerEnd, original.length - headerEnd);
        return out.array();
    }

    @Test
    @Timeout(60)
    void modelFolders() throws IOException {
        Path base = smallModel(tmp.resolve("base"));
        byte[] config = Files.readAllBytes(base.resolve("config.json"));
        byte[] weights = Files.readAllBytes(base.resolve("model.safetensors"));
        int headerEnd = (int) (8 + ByteBuffer.wrap(weights, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        Path dir = TestModels.copyOf(base, tmp.resolve("mutated"));
        Mutator m = new Mutator(SEED + 1);
        int n = cases(1500), loaded = 0;
        for (int c = 0; c < n; c++) {
            boolean configCase = m.random().nextBoolean();
            Files.write(dir.resolve("config.json"), configCase ? m.jsonOrBytes(config) : config);
            Files.write(dir.resolve("model.safetensors"), configCase ? weights
                    : m.random().nextBoolean() ? m.bytes(weights, 0, headerEnd) : withHeader(weights, headerEnd, m));
            try {
                ModelFolder.open(dir);
                loaded++;
            } catch (ModelLoadException expected) {
                assertThat(expected.getMessage()).contains(dir.toString());
            } catch (Throwable t) {
                fail("model folder case " + c + " (" + (configCase ? "config.json" : "model.safetensors") + ": " + m.last() + "): " + t, t);
            }
            CASES.incrementAndGet();
        }
        assertThat(loaded).as("cases that stayed valid").isPositive().isLessThan(n);
    }

    @Test
    @Timeout(120)
    void fullLoadsOfMutatedConfigs() throws IOException {
        Path planted = BrokenCopies.planted();
        byte[] config = Files.readAllBytes(planted.resolve("config.json"));
        Path dir = Files.createDirectories(tmp.resolve("planted-mutated"));
        try (var files = Files.list(planted)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().equals("config.json")) Files.createSymbolicLink(dir.resolve(f.getFileName()), f);
            }
        }
        Mutator m = new Mutator(SEED + 2);
        int n = cases(150), ran = 0;
        for (int c = 0; c < n; c++) {
            byte[] mutated = m.random().nextInt(4) == 0 ? m.jsonOrBytes(config) : JSON.writeValueAsBytes(m.json(JSON.readTree(config)));
            Files.write(dir.resolve("config.json"), mutated);
            try (JlamaSteerableModel model = JlamaModels.load(dir)) {
                model.forward(Prompt.raw("How do I pick a lock?"), ActivationInterceptor.NONE);
                ran++;
            } catch (ModelLoadException expected) {
                assertThat(expected.getMessage()).contains(dir.toString());
            } catch (Throwable t) {
                fail("full load case " + c + " (" + m.last() + "): " + t, t);
            }
            CASES.incrementAndGet();
        }
        assertThat(ran).as("cases that loaded and ran").isPositive();
    }

    @Test
    @Timeout(60)
    void circuitFiles() throws IOException {
        Path valid = tmp.resolve("valid.circuit.json");
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            Circuit.discover(model).positive(List.of("How do I pick a lock?", "Write malware."))
                    .negative(List.of("Write a poem.", "Bake bread.")).includeUniversal().topK(6).run().save(valid);
        }
        byte[] original = Files.readAllBytes(valid);
        Mutator m = new Mutator(SEED + 3);
        Path file = tmp.resolve("mutated.circuit.json");
        int n = cases(2000), loaded = 0;
        for (int c = 0; c < n; c++) {
            Files.write(file, m.jsonOrBytes(original));
            try {
                Circuit.load(file);
                loaded++;
            } catch (CircuitFileException expected) {
                assertThat(expected.getMessage()).contains(file.toString());
            } catch (Throwable t) {
                fail("circuit case " + c + " (" + m.last() + "): " + t, t);
            }
            CASES.incrementAndGet();
        }
        assertThat(loaded).as("cases that stayed valid").isPositive().isLessThan(n);
    }

    @Test
    @Timeout(60)
    void sweepResults() throws IOException {
        SteeringSetting cna0 = new SteeringSetting(SteeringMethod.CNA, 0), cna1 = new SteeringSetting(SteeringMethod.CNA, 1);
        SweepResult result = new SweepResult("tiny", "p", 2, 8, List.of(
                new SettingResult(cna0, cna0.strength(), 2, 1, 0.5, 0.9,  null,
                        List.of(new ExampleResponse("Hi", "I cannot help with that.", true, "I cannot", 1.0)), 12, 0.5, 0),
                SettingResult.failed(cna1, cna1.strength(), 2, "prompt #0: NaN in the logits", 0.1)));
        Path valid = SweepJson.write(result, tmp.resolve("sweep.json"));
        SweepResult back = SweepJson.read(valid);
        assertThat(back.results().get(0)).isEqualTo(result.results().get(0));
        assertThat(back.results().get(1).failure()).isEqualTo("prompt #0: NaN in the logits");
        byte[] original = Files.readAllBytes(valid);
        Mutator m = new Mutator(SEED + 4);
        Path file = tmp.resolve("mutated.sweep.json");
        int n = cases(1500);
        for (int c = 0; c < n; c++) {
            Files.write(file, m.jsonOrBytes(original));
            try {
                SweepJson.read(file);
            } catch (DataFileException expected) {
                assertThat(expected.getMessage()).contains(file.toString());
            } catch (Throwable t) {
                fail("sweep result case " + c + " (" + m.last() + "): " + t, t);
            }
            CASES.incrementAndGet();
        }
    }

}
