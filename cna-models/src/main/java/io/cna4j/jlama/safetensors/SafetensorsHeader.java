package io.cna4j.jlama.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The parsed and checked header of one {@code .safetensors} file.
 *
 * <p>{@link #read(Path)} checks everything a loader would otherwise discover too late: the 8-byte length
 * prefix, that the header fits in the file, that it is a JSON object of tensors, that each tensor's dtype
 * is known, that its byte range matches its shape and dtype, and that every range lies inside the file.
 *
 * {@snippet :
 * SafetensorsHeader h = SafetensorsHeader.read(Path.of("model.safetensors"));
 * for (TensorEntry t : h.tensors()) System.out.println(t.name() + " " + t.shape());
 * }
 *
 * @param file     the file read
 * @param tensors  its tensors, in header order
 * @param metadata the optional {@code __metadata__} string map
 * @param dataStart the file offset of the first data byte (8 + the header's length); each tensor's
 *                  {@link TensorEntry#begin()} counts from here
 */
public record SafetensorsHeader(Path file, List<TensorEntry> tensors, Map<String, String> metadata, long dataStart) {

    /** The largest header this reader accepts (the format's reference implementation uses 100 MB). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads and validates the header of {@code file}.
     *
     * @throws SafetensorsException naming the file and the problem, when it is not a valid safetensors file
     * @throws IOException          when it cannot be read
     */
    public static SafetensorsHeader read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsException(file, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLength = len.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
                throw new SafetensorsException(file, "header length " + headerLength + " is not in 1.." + MAX_HEADER_BYTES
                        + " (corrupt file?)");
            }
            if (8 + headerLength > size) {
                throw new SafetensorsException(file, "header says it is " + headerLength + " bytes but the file has only "
                        + (size - 8) + " after the length prefix (truncated?)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
            readFully(ch, hb, 8);
            JsonNode root;
            try {
                root = JSON.readTree(hb.array());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SafetensorsException(file, "header is not valid JSON: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) {
                throw new SafetensorsException(file, "header is not a JSON object");
            }
            return parse(file, root, 8 + headerLength, size - 8 - headerLength);
        }
    }

    private static SafetensorsHeader parse(Path file, JsonNode root, long dataStart, long dataBytes) {
        List<TensorEntry> tensors = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) {
                metadata = metadata(file, e.getValue());
                continue;
            }
            tensors.add(entry(file, e.getKey(), e.getValue(), dataBytes));
        }
        return new SafetensorsHeader(file, List.copyOf(tensors), Map.copyOf(metadata), dataStart);
    }

    private static Map<String, String> metadata(Path file, JsonNode n) {
        if (!n.isObject()) throw new SafetensorsException(file, "__metadata__ is not a JSON object");
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsException(file, "__metadata__ entry '" + e.getKey() + "' is not a string");
            }
            m.put(e.getKey(), e.getValue().textValue());
        }
        return m;
    }

    private static TensorEntry entry(Path file, String name, JsonNode n, long dataBytes) {
        JsonNode dtype = n.get("dtype"), shape = n.get("shape"), offsets = n.get("data_offsets");
        if (!n.isObject() || dtype == null || !dtype.isTextual() || shape == null || !shape.isArray()
                || offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new SafetensorsException(file, "tensor '" + name + "' lacks dtype, shape or data_offsets");
        }
        List<Long> dims = new ArrayList<>();
        for (JsonNode d : shape) {
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new SafetensorsException(file, "tensor '" + name + "' has a bad dimension " + d);
            }
            dims.add(d.asLong());
        }
        TensorEntry t = new TensorEntry(name, dtype.asText(), List.copyOf(dims), offsets.get(0).asLong(), offsets.get(1).asLong());
        int bpe = TensorEntry.bytesPerElement(t.dtype());
        if (bpe < 0) {
            throw new SafetensorsException(file, "tensor '" + name + "' has unknown dtype " + t.dtype());
        }
        long bytes;
        try {
            long count = 1;
            for (long d : t.shape()) count = Math.multiplyExact(count, d);
            bytes = Math.multiplyExact(count, bpe);
        } catch (ArithmeticException overflow) {
            throw new SafetensorsException(file, "tensor '" + name + "' has shape " + t.shape() + " whose size overflows 64 bits");
        }
        if (t.begin() < 0 || t.end() < t.begin() || t.end() - t.begin() != bytes) {
            throw new SafetensorsException(file, "tensor '" + name + "' spans bytes [" + t.begin() + ", " + t.end()
                    + ") which does not fit its shape " + t.shape() + " of " + t.dtype());
        }
        if (t.end() > dataBytes) {
            throw new SafetensorsException(file, "tensor '" + name + "' ends at byte " + t.end() + " of the data but the file holds only "
                    + dataBytes + " (truncated?)");
        }
        return t;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException("unexpected end of file");
            pos += n;
        }
    }
}
