package io.cna4j.circuit;

import static io.cna4j.circuit.CircuitFileFormat.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cna4j.circuit.CircuitFileFormat.FileJson;
import io.cna4j.circuit.CircuitFileFormat.IdJson;
import io.cna4j.circuit.CircuitFileFormat.NeuronJson;
import io.cna4j.circuit.CircuitFileFormat.RecommendedJson;
import io.cna4j.circuit.CircuitFileFormat.SettingsJson;
import io.cna4j.io.AtomicWrites;
import io.cna4j.model.NeuronId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Circuit files: JSON, schema version {@value #SCHEMA_VERSION}, laid out by {@link CircuitFileFormat}, written
 * atomically, read with checks that name the file and the field at fault.
 */
final class CircuitFiles {
    static final int SCHEMA_VERSION = 1;

    private CircuitFiles() {}

    static void write(Circuit c, Path file) throws IOException {
        AtomicWrites.write(file, JSON.writeValueAsBytes(toRecord(c)));
    }

    static FileJson toRecord(Circuit c) {
        return new FileJson(SCHEMA_VERSION, c.model(), SettingsJson.of(c.settings()), c.prompts(),
                c.neurons().stream().map(NeuronJson::of).toList(), c.noContrast(),
                c.universalNeuronsRemoved().stream().map(IdJson::of).toList(),
                c.recommendation().map(RecommendedJson::of).orElse(null));
    }

    /** The file's JSON as a tree (tests edit it to make damaged files). */
    static ObjectNode toJson(Circuit c) {
        return JSON.valueToTree(toRecord(c));
    }

    static Circuit read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CircuitFileException(file, "is a directory, not a circuit file (give the .json file written by Circuit.save)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new NoSuchFileException(file.toString(), null, "no circuit file there");
        } catch (JsonProcessingException e) {
            throw new CircuitFileException(file, "not valid JSON (truncated or damaged?): " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new CircuitFileException(file, "empty or not a JSON object");
        }
        // the version first: a file of another version may not fit this version's records
        JsonNode version = root.get("schemaVersion");
        if (version == null) throw new CircuitFileException(file, "missing field 'schemaVersion'");
        if (!version.isIntegralNumber() || !version.canConvertToInt()) {
            throw new CircuitFileException(file, "field 'schemaVersion' must be an integer");
        }
        if (version.intValue() != SCHEMA_VERSION) {
            throw new CircuitFileException(file, "unknown schemaVersion " + version.intValue() + "; this cna4j reads version "
                    + SCHEMA_VERSION);
        }
        CircuitFileFormat.rejectNullOptionals(file, root);
        FileJson f;
        try {
            f = JSON.treeToValue(root, FileJson.class);
        } catch (JsonMappingException e) {
            throw CircuitFileFormat.problem(file, e);
        } catch (InputCoercionException e) {   // a number too large for its field
            String field = e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p ? p.currentName() : "?";
            throw new CircuitFileException(file, "field '" + field + "' must be an integer", e);
        } catch (JsonProcessingException e) {
            throw new CircuitFileException(file, "does not fit the circuit file layout: " + e.getOriginalMessage(), e);
        }
        try {
            List<CircuitNeuron> neurons = new ArrayList<>();
            for (int i = 0; i < f.neurons().size(); i++) {
                NeuronJson n = f.neurons().get(i);
                neurons.add(new CircuitNeuron(id(file, "neurons[" + i + "]", n.layer(), n.neuron(), n.address()), n.rank(),
                        n.mu(), n.meanPositive(), n.meanNegative()));
            }
            List<NeuronId> universal = new ArrayList<>();
            for (int i = 0; i < f.universalNeuronsRemoved().size(); i++) {
                IdJson u = f.universalNeuronsRemoved().get(i);
                universal.add(id(file, "universalNeuronsRemoved[" + i + "]", u.layer(), u.neuron(), u.address()));
            }
            return new Circuit(f.model(), neurons, universal, f.settings().toSettings(), f.prompts(), Boolean.TRUE.equals(f.noContrast()),
                    f.recommended() == null ? null : f.recommended().toSetting());
        } catch (IllegalArgumentException e) {
            throw new CircuitFileException(file, "inconsistent content: " + e.getMessage(), e);
        }
    }

    private static NeuronId id(Path file, String where, int layer, int neuron, String address) throws CircuitFileException {
        NeuronId id = NeuronId.of(layer, neuron);
        if (!address.equals(id.toString())) {
            throw new CircuitFileException(file, where + " has address '" + address + "' but layer " + layer + ", neuron " + neuron);
        }
        return id;
    }
}
