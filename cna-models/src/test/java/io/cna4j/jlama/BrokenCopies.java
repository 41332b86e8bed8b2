package io.cna4j.jlama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cna4j.jlama.planted.PlantedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writable copies of test models with one thing broken: a config field, a tensor's name in the header. */
final class BrokenCopies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Path planted;

    private BrokenCopies() {}

    /** The default planted model (6 layers x 1024 neurons, vocabulary 3072), written once per test JVM. */
    static synchronized Path planted() {
        if (planted == null) {
            try {
                Path dir = Files.createTempDirectory("cna4j-broken-planted");
                planted = PlantedModel.builder().writeTo(dir.resolve("planted")).folder();
                dir.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return planted;
    }

    /** A copy of {@code model} in {@code target} with config.json's {@code field} set to {@code value}. */
    static Path withConfig(Path model, Path target, String field, Object value) throws IOException {
        TestModels.copyOf(model, target);
        ObjectNode config = (ObjectNode) JSON.readTree(target.resolve("config.json").toFile());
        config.set(field, JSON.valueToTree(value));
        JSON.writerWithDefaultPrettyPrinter().writeValue(target.resolve("config.json").toFile(), config);
        return target;
    }

    /** config.json's {@code field} of a model folder. */
    static JsonNode config(Path model, String field) throws IOException {
        return JSON.readTree(model.resolve("config.json").toFile()).get(field);
    }

    /** Replaces {@code from} by {@code to} (same length, so no offset moves) in a safetensors file's header. */
    static void editHeader(Path safetensors, String from, String to) throws IOException {
        if (from.length() != to.length()) throw new IllegalArgumentException("same length needed: " + from + " / " + to);
        byte[] all = Files.readAllBytes(safetensors);
        long len = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(all, 8, (int) len, StandardCharsets.UTF_8);
        if (!header.contains(from)) throw new IllegalArgumentException("header lacks " + from);
        byte[] edited = header.replace(from, to).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(edited, 0, all, 8, edited.length);
        Files.write(safetensors, all);
    }

    /** Sets element {@code index} of the F32 tensor {@code tensor} in {@code safetensors} to {@code value}. */
    static void setFloat(Path safetensors, String tensor, long index, float value) throws IOException {
        io.cna4j.jlama.safetensors.SafetensorsHeader h = io.cna4j.jlama.safetensors.SafetensorsHeader.read(safetensors);
        io.cna4j.jlama.safetensors.TensorEntry t = h.tensors().stream().filter(e -> e.name().equals(tensor)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(safetensors + " has no " + tensor));
        if (!t.dtype().equals("F32")) throw new IllegalArgumentException(tensor + " is " + t.dtype());
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(safetensors, java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).flip();
            ch.write(b, h.dataStart() + t.begin() + 4 * index);
        }
    }
}
