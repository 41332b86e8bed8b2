package io.cna4j.jlama.safetensors;

import java.nio.file.Path;

/**
 * A safetensors file that is not valid: truncated, corrupt, or describing tensors it does not hold.
 *
 * {@snippet :
 * try {
 *     SafetensorsHeader.read(path);
 * } catch (SafetensorsException e) {
 *     System.err.println(e.getMessage()); // "model.safetensors: header says it is ... (truncated?)"
 * }
 * }
 */
public final class SafetensorsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
