package io.cna4j.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record-bound reader gives the hand-written reader's messages: field named, expectation in words. */
class CircuitFileFormatTest {
    @TempDir Path dir;
    private final FakeModel model = Planted.model();
    private final Circuit circuit = Circuit.discover(model).positive(Planted.prompts("harm", 5))
            .negative(Planted.prompts("okay", 4)).topK(4).excludeLayers(0).run();

    private String loadFails(Consumer<ObjectNode> damage) throws IOException {
        ObjectNode json = CircuitFiles.toJson(circuit);
        damage.accept(json);
        Path file = Files.writeString(dir.resolve("c.json"), json.toString());
        CircuitFileException e = (CircuitFileException) org.assertj.core.api.Assertions.catchThrowable(() -> Circuit.load(file));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(file.toString());
        return e.getMessage();
    }

    private static ObjectNode obj(ObjectNode root, String name) {
        return (ObjectNode) root.get(name);
    }

    @Test
    void namesTheFieldAndWhatItMustBe() throws IOException {
        assertThat(loadFails(j -> obj(j, "model").remove("fingerprint"))).endsWith("missing field 'fingerprint'");
        assertThat(loadFails(j -> obj(j, "model").put("layers", "6"))).endsWith("field 'layers' must be an integer");
        assertThat(loadFails(j -> obj(j, "model").put("layers", 6.5))).endsWith("field 'layers' must be an integer");
        assertThat(loadFails(j -> obj(j, "model").put("layers", 30_000_000_000L))).endsWith("field 'layers' must be an integer");
        assertThat(loadFails(j -> obj(j, "model").put("name", 7))).endsWith("field 'name' must be a string");
        assertThat(loadFails(j -> obj(j, "model").putNull("name"))).endsWith("field 'name' must be a string");
        assertThat(loadFails(j -> obj(j, "settings").put("perLayer", 1))).endsWith("field 'perLayer' must be true or false");
        assertThat(loadFails(j -> obj(j, "settings").put("universalPrevalence", "high")))
                .endsWith("field 'universalPrevalence' must be a number");
        assertThat(loadFails(j -> obj(j, "settings").putArray("excludedLayers").add("zero")))
                .endsWith("field 'settings.excludedLayers' must be integers");
        assertThat(loadFails(j -> obj(j, "settings").put("excludedLayers", 0))).endsWith("field 'excludedLayers' must be an array");
        assertThat(loadFails(j -> j.put("prompts", 3))).endsWith("field 'prompts' must be an object");
        assertThat(loadFails(j -> j.withArray("neurons").set(0, j.numberNode(1)))).endsWith("field 'neurons[0]' must be an object");
        assertThat(loadFails(j -> j.put("noContrast", "no"))).endsWith("field 'noContrast' must be true or false");
        assertThat(loadFails(j -> j.putNull("noContrast"))).endsWith("field 'noContrast' must be true or false");
        assertThat(loadFails(j -> ((ObjectNode) j.withArray("universalNeuronsRemoved").get(0)).remove("address")))
                .endsWith("missing field 'address'");
        assertThat(loadFails(j -> obj(j, "settings").put("k", 0))).contains("inconsistent content: k must be >= 1");
    }

    @Test
    void optionalFieldsMayBeAbsentAndTopFractionNull() throws IOException {
        ObjectNode json = CircuitFiles.toJson(circuit);
        assertThat(json.get("settings").get("topFraction").isNull()).isTrue();
        assertThat(json.has("recommended")).isFalse();
        json.remove("noContrast");
        Path file = Files.writeString(dir.resolve("old.json"), json.toString());
        Circuit back = Circuit.load(file);
        assertThat(back).isEqualTo(circuit);
        assertThat(back.noContrast()).isFalse();
        assertThat(back.recommendation()).isEmpty();
    }
}
