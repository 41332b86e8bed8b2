package io.cna4j.jlama;

import io.cna4j.io.AtomicWrites;
import io.cna4j.jlama.safetensors.SafetensorsHeader;
import io.cna4j.jlama.safetensors.Bf16;
import io.cna4j.jlama.safetensors.TensorEntry;
import io.cna4j.model.NeuronId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a copy of a model folder with neuron multipliers baked into the weights, for runtimes that have no
 * interceptor: scaling neuron {@code j}'s activation by {@code m} before the down projection is exactly
 * scaling column {@code j} of {@code down_proj} by {@code m}.
 *
 * <p>Only the affected {@code down_proj} columns change; every other byte of every file is copied. For F32
 * weights the baked model computes what runtime steering computes up to the order of two multiplications
 * (bit-identical when {@code m} is 0 or a power of two); BF16 and F16 weights are rounded after scaling.
 *
 * {@snippet :
 * Map<NeuronId, Float> ablate = circuit.multipliers(0f);   // every circuit neuron -> 0
 * SteeringExport.bake(Path.of("models/Llama-3.2-1B-Instruct"), Path.of("models/Llama-3.2-1B-ablated"), ablate);
 * }
 */
public final class SteeringExport {
    private SteeringExport() {}

    /**
     * Copies {@code source} to {@code target} (which must not exist) with each {@code down_proj} column of the
     * given neurons scaled by its multiplier.
     *
     * @throws ModelLoadException when {@code source} is not a valid model folder or a neuron lies outside it
     * @throws IllegalArgumentException when {@code target} exists or a multiplier is not finite
     */
    public static Path bake(Path source, Path target, Map<NeuronId, Float> multipliers) throws IOException {
        ModelFolder folder = ModelFolder.open(source);
        if (Files.exists(target)) throw new IllegalArgumentException(target + " exists; bake writes a new folder");
        int layers = folder.configInt("num_hidden_layers"), inter = folder.configInt("intermediate_size");
        Map<Integer, Map<Integer, Float>> byLayer = new HashMap<>();
        multipliers.forEach((n, m) -> {
            if (n.layer() >= layers || n.neuron() >= inter) {
                throw new ModelLoadException(n + " is outside " + source + " (" + layers + " layers x " + inter + " neurons)");
            }
            if (!Float.isFinite(m)) throw new IllegalArgumentException("multiplier of " + n + " is " + m);
            byLayer.computeIfAbsent(n.layer(), l -> new HashMap<>()).put(n.neuron(), m);
        });
        return AtomicWrites.writeFolder(target, tmp -> {
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, tmp.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList()) {
                    patch(f, byLayer);
                }
            }
        });
    }

    private static void patch(Path file, Map<Integer, Map<Integer, Float>> byLayer) throws IOException {
        SafetensorsHeader header = SafetensorsHeader.read(file);
        long dataStart = header.dataStart();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (TensorEntry t : header.tensors()) {
                Integer layer = downProjLayer(t.name());
                if (layer == null || !byLayer.containsKey(layer)) continue;
                List<Long> shape = t.shape();
                long rows = shape.get(0), cols = shape.get(1);
                int bpe = TensorEntry.bytesPerElement(t.dtype());
                ByteBuffer cell = ByteBuffer.allocate(bpe).order(ByteOrder.LITTLE_ENDIAN);
                for (var e : byLayer.get(layer).entrySet()) {
                    for (long r = 0; r < rows; r++) {
                        long pos = dataStart + t.begin() + (r * cols + e.getKey()) * bpe;
                        cell.clear();
                        ch.read(cell, pos);
                        cell.flip();
                        float scaled = read(cell, t.dtype()) * e.getValue();
                        cell.clear();
                        write(cell, t.dtype(), scaled);
                        cell.flip();
                        ch.write(cell, pos);
                    }
                }
            }
        }
    }

    private static Integer downProjLayer(String name) {
        if (!name.startsWith("model.layers.") || !name.endsWith(".mlp.down_proj.weight")) return null;
        return Integer.valueOf(name.substring("model.layers.".length(), name.length() - ".mlp.down_proj.weight".length()));
    }

    private static float read(ByteBuffer b, String dtype) {
        return switch (dtype) {
            case "F32" -> b.getFloat();
            case "BF16" -> Bf16.toFloat(b.getShort());
            case "F16" -> Float.float16ToFloat(b.getShort());
            default -> throw new IllegalArgumentException("cannot bake into " + dtype + " weights");
        };
    }

    private static void write(ByteBuffer b, String dtype, float v) {
        switch (dtype) {
            case "F32" -> b.putFloat(v);
            case "BF16" -> b.putShort(Bf16.fromFloat(v));
            case "F16" -> b.putShort(Float.floatToFloat16(v));
            default -> throw new IllegalArgumentException("cannot bake into " + dtype + " weights");
        }
    }
}
