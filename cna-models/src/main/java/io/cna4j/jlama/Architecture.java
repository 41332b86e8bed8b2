package io.cna4j.jlama;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The decoder architectures cna4j can intercept, by their {@code config.json} {@code model_type}.
 *
 * {@snippet :
 * Architecture a = Architecture.fromModelType("qwen2");   // QWEN2
 * }
 */
public enum Architecture {
    /** Llama 2/3.x and models of its layout (SmolLM2, TinyLlama, ...). */
    LLAMA("llama", "LlamaForCausalLM"),
    /** Qwen2 and Qwen 2.5: Llama's layout with biases on q, k and v. */
    QWEN2("qwen2", "Qwen2ForCausalLM"),
    /** Mistral: Llama's layout. */
    MISTRAL("mistral", "MistralForCausalLM");

    private final String modelType;
    private final String className;

    Architecture(String modelType, String className) {
        this.modelType = modelType;
        this.className = className;
    }

    /** The {@code model_type} value in {@code config.json}. */
    public String modelType() {
        return modelType;
    }

    /** The Hugging Face class name in {@code config.json}'s {@code architectures}. */
    public String className() {
        return className;
    }

    /**
     * The architecture of a {@code model_type}.
     *
     * @throws ModelLoadException naming the supported architectures when {@code modelType} is not one
     */
    public static Architecture fromModelType(String modelType) {
        for (Architecture a : values()) {
            if (a.modelType.equals(modelType.toLowerCase(Locale.ROOT))) return a;
        }
        throw new ModelLoadException("unsupported architecture '" + modelType + "'; cna4j supports "
                + Arrays.stream(values()).map(a -> a.modelType + " (" + a.className + ")").collect(Collectors.joining(", ")));
    }
}
