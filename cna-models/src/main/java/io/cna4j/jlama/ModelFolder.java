package io.cna4j.jlama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cna4j.jlama.safetensors.SafetensorsHeader;
import io.cna4j.jlama.text.ChatTemplate;
import io.cna4j.jlama.text.HighestTokenId;
import io.cna4j.jlama.safetensors.TensorEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A checked Hugging Face model folder: {@code config.json}, {@code tokenizer.json}, optionally
 * {@code tokenizer_config.json} (chat template), and one {@code model.safetensors} or a
 * {@code model.safetensors.index.json} with its shards.
 *
 * <p>{@link #open(Path)} validates all of it before jlama sees the folder, so that every problem is a
 * {@link ModelLoadException} that names the file, never a crash in a memory-mapped read: the safetensors
 * headers ({@link SafetensorsHeader#read}), and every {@code config.json} field that fixes a tensor's shape
 * against those headers ({@code vocab_size}, {@code hidden_size}, {@code intermediate_size},
 * {@code num_hidden_layers}, {@code num_attention_heads}, {@code num_key_value_heads}, {@code head_dim}).
 *
 * {@snippet :
 * ModelFolder f = ModelFolder.open(Path.of("models/SmolLM2-135M-Instruct"));
 * f.architecture();   // LLAMA
 * f.fingerprint();    // hex SHA-256 of the config and every tensor's name and shape
 * }
 *
 * @param path         the folder
 * @param architecture its architecture
 * @param config       the parsed {@code config.json}
 * @param tensors      every tensor of every weights file, by name
 * @param fingerprint  hex SHA-256 over the shape-defining config fields and every tensor's name and shape (not its dtype: a BF16 and an F32 copy of a model share circuits)
 */
public record ModelFolder(Path path, Architecture architecture, JsonNode config, Map<String, TensorEntry> tensors, String fingerprint) {

    static final String CONFIG = "config.json";
    static final String TOKENIZER = "tokenizer.json";
    static final String SINGLE_WEIGHTS = "model.safetensors";
    static final String WEIGHTS_INDEX = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SHAPE_FIELDS = List.of("model_type", "hidden_size", "intermediate_size",
            "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "head_dim", "vocab_size",
            "max_position_embeddings", "rms_norm_eps", "rope_theta", "rope_scaling", "hidden_act",
            "tie_word_embeddings", "bos_token_id", "eos_token_id", "attention_bias", "mlp_bias", "sliding_window");

    /**
     * Opens and checks a model folder.
     *
     * @throws ModelLoadException naming the missing or invalid file
     */
    public static ModelFolder open(Path folder) {
        if (!Files.exists(folder)) throw new ModelLoadException(folder + ": model folder does not exist");
        if (!Files.isDirectory(folder)) throw new ModelLoadException(folder + ": not a folder (give the model's folder, not a file in it)");
        JsonNode config = readJson(require(folder, CONFIG, "the model's configuration"));
        Path tokenizer = require(folder, TOKENIZER, "the tokenizer");
        JsonNode type = config.get("model_type");
        if (type == null || !type.isTextual()) {
            throw new ModelLoadException(folder.resolve(CONFIG) + ": has no \"model_type\"");
        }
        Architecture arch;
        try {
            arch = Architecture.fromModelType(type.asText());
        } catch (ModelLoadException e) {
            throw new ModelLoadException(folder.resolve(CONFIG) + ": " + e.getMessage(), e);
        }
        for (String f : List.of("hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "vocab_size",
                "max_position_embeddings")) {
            JsonNode n = config.get(f);
            if (n == null || !n.canConvertToInt() || n.asInt() <= 0) {
                throw new ModelLoadException(folder.resolve(CONFIG) + ": \"" + f + "\" is missing or not a positive integer");
            }
        }
        Map<String, TensorEntry> tensors = readTensors(folder);
        ConfigShapes.check(folder, config, tensors);
        checkTokenIds(folder, tokenizer, config.get("vocab_size").asLong());
        return new ModelFolder(folder, arch, config, tensors, fingerprint(config, tensors));
    }

    /** The folder's name, used as the model's name. */
    public String name() {
        Path n = path.toAbsolutePath().normalize().getFileName();
        return n == null ? path.toString() : n.toString();
    }

    /** Whether the folder carries a chat template ({@code chat_template.jinja} or {@code tokenizer_config.json}'s). */
    public boolean hasChatTemplate() {
        return ChatTemplate.load(path).isPresent();
    }

    /** An integer of {@code config.json}. */
    public int configInt(String field) {
        return config.get(field).asInt();
    }

    private static Path require(Path folder, String name, String what) {
        Path p = folder.resolve(name);
        if (!Files.isRegularFile(p)) throw new ModelLoadException(folder + ": " + name + " (" + what + ") is missing");
        return p;
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) throw new ModelLoadException(file + ": not a JSON object");
            return n;
        } catch (IOException e) {
            throw new ModelLoadException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    private static Map<String, TensorEntry> readTensors(Path folder) {
        List<Path> files = new ArrayList<>();
        Path index = folder.resolve(WEIGHTS_INDEX);
        if (Files.isRegularFile(index)) {
            JsonNode map = readJson(index).get("weight_map");
            if (map == null || !map.isObject() || map.isEmpty()) {
                throw new ModelLoadException(index + ": has no \"weight_map\"");
            }
            TreeSet<String> shards = new TreeSet<>();
            map.fields().forEachRemaining(e -> shards.add(e.getValue().asText()));
            for (String s : shards) files.add(require(folder, s, "a weights shard named in " + WEIGHTS_INDEX));
        } else if (Files.isRegularFile(folder.resolve(SINGLE_WEIGHTS))) {
            files.add(folder.resolve(SINGLE_WEIGHTS));
        } else {
            throw new ModelLoadException(folder + ": no weights (" + SINGLE_WEIGHTS + " or " + WEIGHTS_INDEX + ")");
        }
        Map<String, TensorEntry> tensors = new TreeMap<>();
        for (Path f : files) {
            try {
                for (TensorEntry t : SafetensorsHeader.read(f).tensors()) tensors.put(t.name(), t);
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(e.getMessage(), e);
            } catch (IOException e) {
                throw new ModelLoadException(f + ": cannot be read (" + e.getMessage() + ")", e);
            }
        }
        return tensors;
    }

    /**
     * Every token id of {@code tokenizer.json} (its model's vocabulary and its added tokens) must name a row of
     * the embedding; jlama would otherwise fail deep inside a forward pass on the first such token.
     */
    private static void checkTokenIds(Path folder, Path tokenizer, long vocab) {
        HighestTokenId highest = HighestTokenId.of(readJson(tokenizer));
        long max = highest.id();
        if (max >= vocab) {
            throw new ModelLoadException(folder.resolve(CONFIG) + ": vocab_size is " + vocab + " but " + TOKENIZER
                    + " has token ids up to " + max + " ('" + highest.token() + "'); the embedding has no row for them");
        }
    }

    private static String fingerprint(JsonNode config, Map<String, TensorEntry> tensors) {
        StringBuilder sb = new StringBuilder("cna4j-fingerprint-v1\n");
        for (String f : SHAPE_FIELDS) {
            JsonNode n = config.get(f);
            if (n != null) sb.append(f).append('=').append(n).append('\n');
        }
        for (TensorEntry t : tensors.values()) {
            sb.append(t.name()).append(' ').append(t.shape()).append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
