package io.cna4j.bench.table;

import java.util.Map;

/** Readable names of the benchmarks' model-shape parameters, including those of older result files. */
final class ModelLabels {
    private static final Map<String, String> LABELS = Map.of(
            "smol135m", "SmolLM2-135M",
            "qwen05b", "Qwen2.5-0.5B",
            "llama1b", "Llama-3.2-1B shape",
            "SmolLM2-135M-Instruct", "SmolLM2-135M, F32 weights (older run)",
            "SmolLM2-135M", "SmolLM2-135M",
            "Qwen2.5-0.5B", "Qwen2.5-0.5B",
            "L2-resident", "4,096 neurons (L2-resident)");

    private ModelLabels() {}

    /** The label of a parameter value (the value itself when unknown). */
    static String of(String value) {
        return LABELS.getOrDefault(value, value);
    }

    /** The order of the shapes in tables: by size, unknown values last. */
    static int order(String value) {
        return switch (value) {
            case "smol135m", "SmolLM2-135M-Instruct", "SmolLM2-135M" -> 0;
            case "qwen05b", "Qwen2.5-0.5B" -> 1;
            case "llama1b" -> 2;
            case "L2-resident" -> 3;
            default -> 4;
        };
    }
}
