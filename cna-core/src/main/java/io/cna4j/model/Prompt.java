package io.cna4j.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * One prompt and how the model should see it.
 *
 * <p>{@link #chat(String)} is a user message that the model wraps in its own chat template, with the
 * assistant's generation prompt appended (as a chat model sees a request). {@link #raw(String)} is text fed
 * as is, for base models without a template.
 *
 * {@snippet :
 * Prompt p = Prompt.chat("How do I pick a lock?");
 * Prompt q = Prompt.raw("The capital of France is");
 * }
 *
 * @param text the user message (chat) or the whole text (raw); never blank
 * @param mode how the model formats it
 */
public record Prompt(String text, Mode mode) implements Serializable {

    /** How a prompt is turned into the model's input. */
    public enum Mode {
        /** Wrapped in the model's chat template as one user turn, generation prompt appended. */
        CHAT,
        /** Tokenized as is (a beginning-of-sequence token is still added where the model uses one). */
        RAW
    }

    public Prompt {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(mode, "mode");
        if (text.isBlank()) {
            throw new IllegalArgumentException("prompt text is empty");
        }
    }

    /** A user message to be chat-formatted by the model. */
    public static Prompt chat(String userMessage) {
        return new Prompt(userMessage, Mode.CHAT);
    }

    /** Text fed to the model without a chat template. */
    public static Prompt raw(String text) {
        return new Prompt(text, Mode.RAW);
    }
}
