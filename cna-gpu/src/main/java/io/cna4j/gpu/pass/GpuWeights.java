package io.cna4j.gpu.pass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cna4j.gpu.vulkan.CommandStream;
import io.cna4j.gpu.vulkan.DeviceBuffer;
import io.cna4j.gpu.vulkan.VulkanDevice;
import io.cna4j.jlama.ModelFolder;
import io.cna4j.jlama.ModelLoadException;
import io.cna4j.jlama.safetensors.SafetensorsHeader;
import io.cna4j.jlama.safetensors.TensorEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A model's weights on the device: the projection matrices, embedding and output head in the file's own type
 * ({@link GpuMatrix}), the norms and biases widened to float32 (small). Uploaded once, through a host staging
 * buffer, from the safetensors files of a checked {@link ModelFolder}.
 *
 * {@snippet :
 * long need = GpuWeights.deviceBytes(folder);          // before allocating anything
 * GpuWeights w = GpuWeights.upload(device, stream, folder, shape);
 * }
 */
public final class GpuWeights implements AutoCloseable {
    private static final long STAGING = 32L << 20;

    /** One transformer layer's tensors; biases are null where the model has none. */
    public record Layer(DeviceBuffer inputNorm, DeviceBuffer postNorm, GpuMatrix q, GpuMatrix k, GpuMatrix v, GpuMatrix o,
                        GpuMatrix gate, GpuMatrix up, GpuMatrix down, @Nullable DeviceBuffer qBias, @Nullable DeviceBuffer kBias,
                        @Nullable DeviceBuffer vBias, @Nullable DeviceBuffer oBias) {}

    private final GpuMatrix embedding;
    private final GpuMatrix head;
    private final DeviceBuffer finalNorm;
    private final List<Layer> layers;
    private final List<AutoCloseable> owned;

    private GpuWeights(GpuMatrix embedding, GpuMatrix head, DeviceBuffer finalNorm, List<Layer> layers, List<AutoCloseable> owned) {
        this.embedding = embedding;
        this.head = head;
        this.finalNorm = finalNorm;
        this.layers = layers;
        this.owned = owned;
    }

    /** Bytes the weights take on the device: matrices at their file's size, 1-D tensors as float32. */
    public static long deviceBytes(ModelFolder folder) {
        long total = 0;
        for (TensorEntry t : folder.tensors().values()) {
            total += t.shape().size() >= 2 ? t.end() - t.begin() : 4L * t.elementCount();
        }
        return total;
    }

    /**
     * Uploads every tensor the forward pass reads.
     *
     * @throws ModelLoadException when a weights file cannot be read or a matrix is of a type the shaders lack
     */
    public static GpuWeights upload(VulkanDevice device, CommandStream stream, ModelFolder folder, ModelShape shape) {
        List<AutoCloseable> owned = new ArrayList<>();
        try (Loader in = new Loader(device, stream, folder, owned)) {
            GpuMatrix embedding = in.matrix("model.embed_tokens.weight");
            GpuMatrix head = in.has("lm_head.weight") ? in.matrix("lm_head.weight") : embedding;
            DeviceBuffer norm = in.vector("model.norm.weight");
            List<Layer> layers = new ArrayList<>();
            for (int l = 0; l < shape.layers(); l++) {
                String p = "model.layers." + l + ".";
                layers.add(new Layer(in.vector(p + "input_layernorm.weight"), in.vector(p + "post_attention_layernorm.weight"),
                        in.matrix(p + "self_attn.q_proj.weight"), in.matrix(p + "self_attn.k_proj.weight"),
                        in.matrix(p + "self_attn.v_proj.weight"), in.matrix(p + "self_attn.o_proj.weight"),
                        in.matrix(p + "mlp.gate_proj.weight"), in.matrix(p + "mlp.up_proj.weight"),
                        in.matrix(p + "mlp.down_proj.weight"), in.optionalVector(p + "self_attn.q_proj.bias"),
                        in.optionalVector(p + "self_attn.k_proj.bias"), in.optionalVector(p + "self_attn.v_proj.bias"),
                        in.optionalVector(p + "self_attn.o_proj.bias")));
            }
            return new GpuWeights(embedding, head, norm, List.copyOf(layers), owned);
        } catch (RuntimeException e) {
            for (AutoCloseable c : owned) closeQuietly(c);
            throw e;
        }
    }

    public GpuMatrix embedding() {
        return embedding;
    }

    public GpuMatrix head() {
        return head;
    }

    public DeviceBuffer finalNorm() {
        return finalNorm;
    }

    public Layer layer(int l) {
        return layers.get(l);
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned) closeQuietly(c);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // freeing device memory does not fail in a way the caller could act on
        }
    }

    /** Reads tensors from the folder's safetensors files and copies them to the device through a staging buffer. */
    private static final class Loader implements AutoCloseable {
        record Located(Path file, long offset, TensorEntry entry) {}

        private final VulkanDevice device;
        private final CommandStream stream;
        private final List<AutoCloseable> owned;
        private final Map<String, Located> tensors = new HashMap<>();
        private final Map<Path, FileChannel> channels = new HashMap<>();
        private final DeviceBuffer staging;

        Loader(VulkanDevice device, CommandStream stream, ModelFolder folder, List<AutoCloseable> owned) {
            this.device = device;
            this.stream = stream;
            this.owned = owned;
            try {
                for (Path file : files(folder.path())) {
                    SafetensorsHeader h = SafetensorsHeader.read(file);
                    for (TensorEntry t : h.tensors()) tensors.put(t.name(), new Located(file, h.dataStart() + t.begin(), t));
                }
            } catch (IOException e) {
                throw new ModelLoadException(folder.path() + ": reading the weights failed: " + e.getMessage(), e);
            }
            this.staging = DeviceBuffer.host(device, STAGING);
        }

        private static List<Path> files(Path folder) throws IOException {
            Path index = folder.resolve("model.safetensors.index.json");
            if (!Files.isRegularFile(index)) return List.of(folder.resolve("model.safetensors"));
            JsonNode map = new ObjectMapper().readTree(index.toFile()).get("weight_map");
            TreeSet<String> names = new TreeSet<>();
            map.fields().forEachRemaining(e -> names.add(e.getValue().asText()));
            return names.stream().map(folder::resolve).toList();
        }

        boolean has(String name) {
            return tensors.containsKey(name);
        }

        private Located require(String name) {
            Located t = tensors.get(name);
            if (t == null) throw new ModelLoadException("the weights have no tensor " + name);
            return t;
        }

        GpuMatrix matrix(String name) {
            Located t = require(name);
            List<Long> shape = t.entry().shape();
            int rows = Math.toIntExact(shape.get(0)), cols = Math.toIntExact(shape.get(1));
            int wtype = switch (t.entry().dtype()) {
                case "F32" -> 0;
                case "BF16" -> 1;
                case "F16" -> 2;
                default -> throw new ModelLoadException(t.file() + ": " + name + " is " + t.entry().dtype()
                        + "; the GPU backend reads F32, BF16 and F16");
            };
            long rowBytes = (long) cols * GpuMatrix.bytes(wtype);
            long limit = Math.min(device.maxStorageRange(), device.maxAllocationBytes());
            int perChunk = (int) Math.min(65535, limit / rowBytes);
            if (wtype != 0 && perChunk % 2 == 1 && perChunk > 1) perChunk--; // keep 16-bit pairs within a chunk
            List<GpuMatrix.Chunk> chunks = new ArrayList<>();
            for (int first = 0; first < rows; first += perChunk) {
                int n = Math.min(perChunk, rows - first);
                DeviceBuffer b = DeviceBuffer.local(device, n * rowBytes);
                owned.add(b);
                copy(t.file(), t.offset() + first * rowBytes, n * rowBytes, b);
                chunks.add(new GpuMatrix.Chunk(b, first, n));
            }
            GpuMatrix m = new GpuMatrix(rows, cols, wtype, List.copyOf(chunks));
            return m;
        }

        DeviceBuffer vector(String name) {
            Located t = require(name);
            int n = Math.toIntExact(t.entry().elementCount());
            int bytes = TensorEntry.bytesPerElement(t.entry().dtype());
            ByteBuffer raw = read(t.file(), t.offset(), (long) n * bytes);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (t.entry().dtype()) {
                    case "F32" -> raw.getFloat(4 * i);
                    case "BF16" -> Float.intBitsToFloat((raw.getShort(2 * i) & 0xFFFF) << 16);
                    case "F16" -> Float.float16ToFloat(raw.getShort(2 * i));
                    default -> throw new ModelLoadException(t.file() + ": " + name + " is " + t.entry().dtype());
                };
            }
            DeviceBuffer b = DeviceBuffer.local(device, 4L * n);
            owned.add(b);
            staging.mapped().asFloatBuffer().put(v);
            stream.copy(staging, 0, b, 0, 4L * n);
            stream.submitAndWait();
            return b;
        }

        @Nullable DeviceBuffer optionalVector(String name) {
            return has(name) ? vector(name) : null;
        }

        private FileChannel channel(Path file) {
            return channels.computeIfAbsent(file, f -> {
                try {
                    return FileChannel.open(f, StandardOpenOption.READ);
                } catch (IOException e) {
                    throw new ModelLoadException(f + ": cannot be read: " + e.getMessage(), e);
                }
            });
        }

        private ByteBuffer read(Path file, long offset, long bytes) {
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
            readInto(file, offset, buf);
            return buf.flip();
        }

        private void readInto(Path file, long offset, ByteBuffer buf) {
            FileChannel ch = channel(file);
            try {
                long pos = offset;
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, pos);
                    if (n < 0) throw new ModelLoadException(file + ": ends before offset " + pos + " (truncated?)");
                    pos += n;
                }
            } catch (IOException e) {
                throw new ModelLoadException(file + ": reading failed: " + e.getMessage(), e);
            }
        }

        private void copy(Path file, long offset, long bytes, DeviceBuffer target) {
            for (long done = 0; done < bytes; done += STAGING) {
                long n = Math.min(STAGING, bytes - done);
                ByteBuffer window = staging.mapped().limit((int) n);
                readInto(file, offset + done, window);
                stream.copy(staging, 0, target, done, n);
                stream.submitAndWait();
            }
        }

        @Override
        public void close() {
            staging.close();
            for (FileChannel c : channels.values()) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }
}
