package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cna4j.model.ModelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CircuitFilesTest {
    @TempDir Path dir;
    private final FakeModel model = Planted.model();
    private final Circuit circuit = Circuit.discover(model).positive(Planted.prompts("harm", 5))
            .negative(Planted.prompts("okay", 4)).topK(4).excludeLayers(0).run();

    @Test
    void roundTripsEverything() throws IOException {
        Path file = dir.resolve("refusal.circuit.json");
        circuit.save(file);
        Circuit back = Circuit.load(file, model.info());
        assertThat(back).isEqualTo(circuit);
        assertThat(back.neurons()).isEqualTo(circuit.neurons());
        assertThat(back.universalNeuronsRemoved()).isEqualTo(circuit.universalNeuronsRemoved()).isNotEmpty();
        assertThat(back.settings()).isEqualTo(circuit.settings());
        assertThat(back.model()).isEqualTo(model.info());
    }

    @Test
    void savedFilesGetTheUmasksPermissionsNotATemporaryFilesOwnerOnlyOnes() throws IOException {
        Path file = dir.resolve("perm.circuit.json");
        circuit.save(file);
        Path plain = Files.writeString(dir.resolve("plain.txt"), "");   // a file as any program creates it
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("perm.circuit.json", "plain.txt");
        }
    }

    @Test
    void fileReadsLikeTransformerLens() throws IOException {
        Path file = dir.resolve("c.json");
        circuit.save(file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("schemaVersion").intValue()).isEqualTo(1);
        assertThat(json.at("/model/fingerprint").textValue()).isEqualTo(model.info().fingerprint());
        assertThat(json.at("/neurons/0/address").textValue()).isEqualTo("blocks.3.mlp.hook_post[10]");
        assertThat(json.at("/neurons/0/rank").intValue()).isEqualTo(1);
        assertThat(json.at("/neurons/0/mu").doubleValue()).isEqualTo(circuit.neurons().get(0).mu());
        assertThat(json.at("/universalNeuronsRemoved/0/address").textValue()).isEqualTo("blocks.0.mlp.hook_post[0]");
        assertThat(json.at("/prompts/positive").intValue()).isEqualTo(5);
        assertThat(json.at("/settings/excludedLayers/0").intValue()).isZero();
        assertThat(json.at("/settings/k").intValue()).isEqualTo(4);
    }

    @Test
    void refusesAnotherModelNamingBoth() throws IOException {
        Path file = dir.resolve("c.json");
        circuit.save(file);
        ModelInfo other = new ModelInfo("Qwen2.5-0.5B", "Qwen2ForCausalLM", 24, 4864, 896, 151936, 32768, "abc123");
        assertThatThrownBy(() -> Circuit.load(file, other)).isInstanceOf(ModelMismatchException.class)
                .hasMessageContaining(model.info().name()).hasMessageContaining("Qwen2.5-0.5B")
                .hasMessageContaining("abc123").hasMessageContaining(model.info().fingerprint())
                .hasMessageContaining(file.toString());
    }

    @Test
    void truncatedFileNamesTheFile() throws IOException {
        Path file = dir.resolve("c.json");
        circuit.save(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Circuit.load(file)).isInstanceOf(CircuitFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated");
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> Circuit.load(file)).isInstanceOf(CircuitFileException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void unknownSchemaVersionAndMissingFieldsAreClear() throws IOException {
        Path file = dir.resolve("c.json");
        ObjectNode json = CircuitFiles.toJson(circuit);
        json.put("schemaVersion", 7);
        Files.writeString(file, json.toString());
        assertThatThrownBy(() -> Circuit.load(file)).isInstanceOf(CircuitFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("schemaVersion 7");

        ObjectNode missing = CircuitFiles.toJson(circuit);
        ((ObjectNode) missing.get("neurons").get(1)).remove("mu");
        Files.writeString(file, missing.toString());
        assertThatThrownBy(() -> Circuit.load(file)).isInstanceOf(CircuitFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("'mu'");

        ObjectNode noVersion = CircuitFiles.toJson(circuit);
        noVersion.remove("schemaVersion");
        Files.writeString(file, noVersion.toString());
        assertThatThrownBy(() -> Circuit.load(file)).isInstanceOf(CircuitFileException.class)
                .hasMessageContaining("'schemaVersion'");

        ObjectNode badAddress = CircuitFiles.toJson(circuit);
        ((ObjectNode) badAddress.get("neurons").get(0)).put("address", "blocks.1.mlp.hook_post[1]");
        Files.writeString(file, badAddress.toString());
        assertThatThrownBy(() -> Circuit.load(file)).isInstanceOf(CircuitFileException.class)
                .hasMessageContaining("neurons[0]");
    }

    @Test
    void missingFileIsAnIoErrorNamingIt() {
        Path file = dir.resolve("nope.json");
        assertThatThrownBy(() -> Circuit.load(file)).isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void writesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "old content");
        circuit.save(file);
        assertThat(Circuit.load(file)).isEqualTo(circuit);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failedWriteKeepsWhatWasThereAndCleansUp() throws IOException {
        // a non-empty directory cannot be replaced: the move fails after the temporary file is written
        Path target = dir.resolve("taken");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "precious");
        assertThatThrownBy(() -> circuit.save(target)).isInstanceOf(IOException.class);
        assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("precious");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }
}
