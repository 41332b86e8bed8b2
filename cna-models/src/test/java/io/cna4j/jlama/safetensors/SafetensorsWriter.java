package io.cna4j.jlama.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cna4j.io.AtomicWrites;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@code .safetensors} file of F32 or BF16 tensors, streaming each tensor's values from a
 * {@link TensorSource} so that no tensor is ever held whole in memory.
 *
 * <p>The file is written next to its destination and moved into place at the end, so a failed write
 * leaves no partial file behind.
 *
 * {@snippet :
 * new SafetensorsWriter(SafetensorsWriter.DType.BF16)
 *         .add("model.norm.weight", new long[] {576}, i -> 1f)
 *         .add("model.embed_tokens.weight", new long[] {49152, 576}, i -> rnd.nextFloat() * 0.02f)
 *         .write(folder.resolve("model.safetensors"));
 * }
 */
public final class SafetensorsWriter {

    /** The element types this writer produces. */
    public enum DType {
        /** 32-bit IEEE floats. */
        F32(4),
        /** bfloat16: the upper half of an F32, rounded to nearest even. */
        BF16(2);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** The value of each element of a tensor, by its row-major flat index. */
    @FunctionalInterface
    public interface TensorSource {
        /** The value at flat index {@code i}. Called once per element, in increasing order. */
        float valueAt(long i);
    }

    private record Pending(String name, long[] shape, TensorSource source) {}

    private final DType dtype;
    private final List<Pending> tensors = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter(DType dtype) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        metadata.put("format", "pt");
    }

    /** Adds a tensor; its values come from {@code source} when the file is written. */
    public SafetensorsWriter add(String name, long[] shape, TensorSource source) {
        for (Pending p : tensors) {
            if (p.name.equals(name)) throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        for (long d : shape) if (d <= 0) throw new IllegalArgumentException("tensor '" + name + "' has a non-positive dimension");
        tensors.add(new Pending(name, shape.clone(), source));
        return this;
    }

    /** Adds a tensor from an array holding its row-major values. */
    public SafetensorsWriter add(String name, long[] shape, float[] values) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + values.length + " values for " + n + " elements");
        }
        return add(name, shape, i -> values[(int) i]);
    }

    /** Adds a string to the header's {@code __metadata__}. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Writes the file atomically, with {@link AtomicWrites}. */
    public void write(Path file) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", metadata);
        long offset = 0;
        for (Pending p : tensors) {
            long bytes = count(p.shape) * dtype.bytes;
            header.put(p.name, Map.of("dtype", dtype.name(), "shape", p.shape, "data_offsets", new long[] {offset, offset + bytes}));
            offset += bytes;
        }
        byte[] json = new ObjectMapper().writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8-byte alignment
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        AtomicWrites.write(file, ch -> {
            while (head.hasRemaining()) ch.write(head);
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Pending p : tensors) {
                long n = count(p.shape);
                for (long i = 0; i < n; i++) {
                    float v = p.source.valueAt(i);
                    if (dtype == DType.F32) buf.putFloat(v);
                    else buf.putShort(Bf16.fromFloat(v));
                    if (!buf.hasRemaining()) flush(ch, buf);
                }
            }
            flush(ch, buf);
        });
    }

    private static void flush(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

}
