package io.cna4j.circuit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cna4j.io.AtomicWrites;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Circuit files: JSON, schema version {@value #SCHEMA_VERSION}, written atomically, read with checks that
 * name the file and the field at fault.
 */
final class CircuitFiles {
    static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CircuitFiles() {}

    static void write(Circuit c, Path file) throws IOException {
        AtomicWrites.write(file, JSON.writeValueAsBytes(toJson(c)));
    }

    static ObjectNode toJson(Circuit c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        ModelInfo m = c.model();
        ObjectNode model = root.putObject("model");
        model.put("name", m.name());
        model.put("architecture", m.architecture());
        model.put("layers", m.layers());
        model.put("neuronsPerLayer", m.neuronsPerLayer());
        model.put("hiddenSize", m.hiddenSize());
        model.put("vocabularySize", m.vocabularySize());
        model.put("contextLength", m.contextLength());
        model.put("fingerprint", m.fingerprint());
        DiscoverySettings s = c.settings();
        ObjectNode settings = root.putObject("settings");
        if (s.topFraction() != null) settings.put("topFraction", s.topFraction());
        else settings.putNull("topFraction");
        settings.put("k", s.k());
        settings.put("perLayer", s.perLayer());
        ArrayNode excluded = settings.putArray("excludedLayers");
        s.excludedLayers().forEach(excluded::add);
        settings.put("excludeUniversal", s.excludeUniversal());
        settings.put("universalTopFraction", s.universalTopFraction());
        settings.put("universalPrevalence", s.universalPrevalence());
        settings.put("defaultUniversalPrompts", s.defaultUniversalPrompts());
        ObjectNode prompts = root.putObject("prompts");
        prompts.put("positive", c.prompts().positive());
        prompts.put("negative", c.prompts().negative());
        prompts.put("universal", c.prompts().universal());
        ArrayNode neurons = root.putArray("neurons");
        for (CircuitNeuron n : c.neurons()) {
            ObjectNode o = neurons.addObject();
            o.put("rank", n.rank());
            o.put("layer", n.layer());
            o.put("neuron", n.neuron());
            o.put("address", n.id().toString());
            o.put("mu", n.mu());
            o.put("meanPositive", n.meanPositive());
            o.put("meanNegative", n.meanNegative());
        }
        root.put("noContrast", c.noContrast());
        ArrayNode universal = root.putArray("universalNeuronsRemoved");
        for (NeuronId id : c.universalNeuronsRemoved()) {
            ObjectNode o = universal.addObject();
            o.put("layer", id.layer());
            o.put("neuron", id.neuron());
            o.put("address", id.toString());
        }
        // --- optional "recommended" (a tuner's multiplier; issue 17): written only when present ---
        c.recommendation().ifPresent(r -> writeRecommended(root.putObject("recommended"), r));
        // --- end of "recommended" ---
        return root;
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
        Fields f = new Fields(file);
        int version = f.integer(root, "schemaVersion");
        if (version != SCHEMA_VERSION) {
            throw new CircuitFileException(file, "unknown schemaVersion " + version + "; this cna4j reads version "
                    + SCHEMA_VERSION);
        }
        try {
            JsonNode m = f.object(root, "model");
            ModelInfo model = new ModelInfo(f.text(m, "name"), f.text(m, "architecture"), f.integer(m, "layers"),
                    f.integer(m, "neuronsPerLayer"), f.integer(m, "hiddenSize"), f.integer(m, "vocabularySize"),
                    f.integer(m, "contextLength"), f.text(m, "fingerprint"));
            JsonNode s = f.object(root, "settings");
            JsonNode tf = f.present(s, "topFraction");
            List<Integer> excluded = new ArrayList<>();
            for (JsonNode l : f.array(s, "excludedLayers")) {
                if (!l.canConvertToInt() || !l.isIntegralNumber()) throw f.bad("settings.excludedLayers", "integers");
                excluded.add(l.intValue());
            }
            DiscoverySettings settings = new DiscoverySettings(tf.isNull() ? null : f.number(s, "topFraction"),
                    f.integer(s, "k"), f.bool(s, "perLayer"), excluded, f.bool(s, "excludeUniversal"),
                    f.number(s, "universalTopFraction"), f.number(s, "universalPrevalence"),
                    f.bool(s, "defaultUniversalPrompts"));
            JsonNode p = f.object(root, "prompts");
            PromptCounts prompts = new PromptCounts(f.integer(p, "positive"), f.integer(p, "negative"), f.integer(p, "universal"));
            List<CircuitNeuron> neurons = new ArrayList<>();
            JsonNode arr = f.array(root, "neurons");
            for (int i = 0; i < arr.size(); i++) {
                JsonNode n = arr.get(i);
                NeuronId id = f.neuronId(n, "neurons[" + i + "]");
                neurons.add(new CircuitNeuron(id, f.integer(n, "rank"), f.number(n, "mu"), f.number(n, "meanPositive"),
                        f.number(n, "meanNegative")));
            }
            List<NeuronId> universal = new ArrayList<>();
            JsonNode uarr = f.array(root, "universalNeuronsRemoved");
            for (int i = 0; i < uarr.size(); i++) universal.add(f.neuronId(uarr.get(i), "universalNeuronsRemoved[" + i + "]"));
            JsonNode nc = root.get("noContrast");   // absent in files of earlier versions: false
            if (nc != null && !nc.isBoolean()) throw f.bad("noContrast", "true or false");
            // --- optional "recommended" (issue 17); files without it load as before ---
            RecommendedSetting recommended = root.has("recommended") ? readRecommended(f, f.object(root, "recommended")) : null;
            // --- end of "recommended" ---
            return new Circuit(model, neurons, universal, settings, prompts, nc != null && nc.booleanValue(), recommended);
        } catch (IllegalArgumentException e) {
            throw new CircuitFileException(file, "inconsistent content: " + e.getMessage(), e);
        }
    }

    // --- optional "recommended" object (issue 17) ---

    private static void writeRecommended(ObjectNode o, RecommendedSetting r) {
        o.put("multiplier", r.multiplier());
        o.put("behaviourRate", r.behaviourRate());
        o.put("klDivergence", r.klDivergence());
        o.put("quality", r.quality());
        if (r.mmluAccuracy() != null) o.put("mmluAccuracy", r.mmluAccuracy());
        else o.putNull("mmluAccuracy");
        o.put("reason", r.reason());
    }

    private static RecommendedSetting readRecommended(Fields f, JsonNode o) throws CircuitFileException {
        JsonNode mmlu = o.get("mmluAccuracy");
        Double acc = mmlu == null || mmlu.isNull() ? null : f.number(o, "mmluAccuracy");
        return new RecommendedSetting(f.number(o, "multiplier"), f.number(o, "behaviourRate"), f.number(o, "klDivergence"),
                f.number(o, "quality"), acc, f.text(o, "reason"));
    }

    // --- end of "recommended" ---

    /** Required-field readers whose errors name the file and the field. */
    private record Fields(Path file) {
        JsonNode present(JsonNode parent, String name) throws CircuitFileException {
            JsonNode n = parent.get(name);
            if (n == null) throw new CircuitFileException(file, "missing field '" + name + "'");
            return n;
        }

        CircuitFileException bad(String name, String expected) {
            return new CircuitFileException(file, "field '" + name + "' must be " + expected);
        }

        JsonNode object(JsonNode parent, String name) throws CircuitFileException {
            JsonNode n = present(parent, name);
            if (!n.isObject()) throw bad(name, "an object");
            return n;
        }

        JsonNode array(JsonNode parent, String name) throws CircuitFileException {
            JsonNode n = present(parent, name);
            if (!n.isArray()) throw bad(name, "an array");
            return n;
        }

        int integer(JsonNode parent, String name) throws CircuitFileException {
            JsonNode n = present(parent, name);
            if (!n.isIntegralNumber() || !n.canConvertToInt()) throw bad(name, "an integer");
            return n.intValue();
        }

        double number(JsonNode parent, String name) throws CircuitFileException {
            JsonNode n = present(parent, name);
            if (!n.isNumber()) throw bad(name, "a number");
            return n.doubleValue();
        }

        boolean bool(JsonNode parent, String name) throws CircuitFileException {
            JsonNode n = present(parent, name);
            if (!n.isBoolean()) throw bad(name, "true or false");
            return n.booleanValue();
        }

        String text(JsonNode parent, String name) throws CircuitFileException {
            JsonNode n = present(parent, name);
            if (!n.isTextual()) throw bad(name, "a string");
            return n.textValue();
        }

        NeuronId neuronId(JsonNode n, String where) throws CircuitFileException {
            if (n == null || !n.isObject()) throw bad(where, "an object");
            int layer = integer(n, "layer");
            int neuron = integer(n, "neuron");
            String address = text(n, "address");
            NeuronId id = NeuronId.of(layer, neuron);
            if (!address.equals(id.toString())) {
                throw new CircuitFileException(file, where + " has address '" + address + "' but layer " + layer
                        + ", neuron " + neuron);
            }
            return id;
        }
    }
}
