package io.cna4j.jlama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of files for the fuzz tests: bit flips, truncation, inserted garbage, and JSON edits that
 * replace a value by another type or a huge number, or remove it. Each call says what it did, so a failing
 * case can be reproduced from its description.
 */
final class Mutator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SplittableRandom random;
    private String last = "";

    Mutator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** What the last mutation did. */
    String last() {
        return last;
    }

    SplittableRandom random() {
        return random;
    }

    /** A byte-level mutation of {@code bytes} within {@code [from, to)}: bit flips, truncation or inserted garbage. */
    byte[] bytes(byte[] bytes, int from, int to) {
        int span = Math.max(1, Math.min(to, bytes.length) - from);
        switch (random.nextInt(4)) {
            case 0, 1 -> {
                byte[] out = bytes.clone();
                int flips = 1 + random.nextInt(8);
                StringBuilder where = new StringBuilder();
                for (int i = 0; i < flips; i++) {
                    int pos = from + random.nextInt(span);
                    int bit = random.nextInt(8);
                    if (pos < out.length) out[pos] ^= (byte) (1 << bit);
                    where.append(pos).append(':').append(bit).append(' ');
                }
                last = "bit flips at " + where.toString().strip();
                return out;
            }
            case 2 -> {
                int len = random.nextInt(bytes.length);
                last = "truncated to " + len + " of " + bytes.length + " bytes";
                return Arrays.copyOf(bytes, len);
            }
            default -> {
                int pos = from + random.nextInt(span);
                byte[] garbage = new byte[1 + random.nextInt(16)];
                random.nextBytes(garbage);
                byte[] out = new byte[bytes.length + garbage.length];
                System.arraycopy(bytes, 0, out, 0, pos);
                System.arraycopy(garbage, 0, out, pos, garbage.length);
                System.arraycopy(bytes, pos, out, pos + garbage.length, bytes.length - pos);
                last = garbage.length + " random bytes inserted at " + pos;
                return out;
            }
        }
    }

    /** A JSON-level mutation: one to three values replaced by another type or a huge number, or removed. */
    JsonNode json(JsonNode original) {
        JsonNode root = original.deepCopy();
        int edits = 1 + random.nextInt(3);
        StringBuilder did = new StringBuilder();
        for (int e = 0; e < edits; e++) {
            List<String> paths = new ArrayList<>();
            List<JsonNode> parents = new ArrayList<>();
            List<Object> keys = new ArrayList<>();
            collect(root, "", paths, parents, keys);
            if (paths.isEmpty()) break;
            int i = random.nextInt(paths.size());
            JsonNode parent = parents.get(i);
            Object key = keys.get(i);
            boolean remove = random.nextInt(6) == 0;
            if (remove) {
                if (parent instanceof ObjectNode o) o.remove((String) key);
                else ((ArrayNode) parent).remove((Integer) key);
                did.append("removed ").append(paths.get(i)).append("; ");
            } else {
                JsonNode value = value(parent instanceof ObjectNode o ? o.get((String) key) : ((ArrayNode) parent).get((Integer) key));
                if (parent instanceof ObjectNode o) o.set((String) key, value);
                else ((ArrayNode) parent).set((Integer) key, value);
                did.append(paths.get(i)).append(" = ").append(abbreviate(value.toString())).append("; ");
            }
        }
        last = did.toString().strip();
        return root;
    }

    /** {@link #json} of a JSON text; bytes that are not JSON get a byte-level mutation instead. */
    byte[] jsonOrBytes(byte[] text) {
        if (random.nextInt(3) == 0) return bytes(text, 0, text.length);
        try {
            return JSON.writeValueAsBytes(json(JSON.readTree(text)));
        } catch (java.io.IOException e) {
            return bytes(text, 0, text.length);
        }
    }

    private JsonNode value(JsonNode old) {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.numberNode(Long.MAX_VALUE);
            case 1 -> NODES.numberNode(Integer.MAX_VALUE);
            case 2 -> NODES.numberNode(-1);
            case 3 -> NODES.numberNode(0);
            case 4 -> NODES.numberNode(1e308);
            case 5 -> NODES.numberNode(0.5);
            case 6 -> NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 7 -> NODES.textNode("x");
            case 8 -> NODES.nullNode();
            case 9 -> NODES.booleanNode(random.nextBoolean());
            case 10 -> NODES.arrayNode();
            case 11 -> NODES.objectNode();
            case 12 -> old.isNumber() ? NODES.numberNode(old.asLong() + (random.nextBoolean() ? 1 : -1)) : NODES.numberNode(1);
            case 13 -> old.isNumber() ? NODES.numberNode(old.asLong() * 2) : NODES.textNode(old.asText() + "_");
            case 14 -> old.isTextual() ? NODES.textNode(old.asText().isEmpty() ? "" : old.asText().substring(1)) : NODES.numberNode(-old.asLong());
            default -> NODES.numberNode((long) random.nextInt() * random.nextInt(1 << 20));
        };
    }

    private static void collect(JsonNode n, String path, List<String> paths, List<JsonNode> parents, List<Object> keys) {
        if (n instanceof ObjectNode o) {
            for (var it = o.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                paths.add(path + "." + k);
                parents.add(o);
                keys.add(k);
                collect(o.get(k), path + "." + k, paths, parents, keys);
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < Math.min(a.size(), 64); i++) {
                paths.add(path + "[" + i + "]");
                parents.add(a);
                keys.add(i);
                collect(a.get(i), path + "[" + i + "]", paths, parents, keys);
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    static String text(byte[] b) {
        return abbreviate(new String(b, StandardCharsets.UTF_8));
    }
}
