package io.cna4j.jlama.safetensors;

import java.util.List;

/**
 * One tensor of a safetensors file, as its header describes it.
 *
 * @param name   the tensor's name, e.g. {@code model.layers.0.mlp.down_proj.weight}
 * @param dtype  the safetensors dtype string ({@code F32}, {@code BF16}, {@code F16}, ...)
 * @param shape  the dimensions
 * @param begin  first byte of its data, relative to the end of the header
 * @param end    one past its last byte, relative to the end of the header
 */
public record TensorEntry(String name, String dtype, List<Long> shape, long begin, long end) {

    /** Bytes per element of a safetensors dtype, or -1 for one this library does not know. */
    public static int bytesPerElement(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> -1;
        };
    }

    /** Number of elements: the product of the shape. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
