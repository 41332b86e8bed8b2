package io.cna4j.jlama.text;

import io.cna4j.model.Prompt;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link Prompt} into the token ids a model sees, exactly as Hugging Face does.
 *
 * <ul>
 *   <li>{@link Prompt.Mode#CHAT}: the user message is rendered by the model's {@link ChatTemplate} with the
 *       generation prompt, then encoded with {@code add_special_tokens=False}, which is what
 *       {@code apply_chat_template(messages, add_generation_prompt=True, tokenize=True)} does. The
 *       beginning-of-sequence token appears exactly as often as the template writes it: once on Llama 3
 *       ({@code {{ bos_token }}}), never on Qwen2.5 or SmolLM2, whatever {@code config.json}'s
 *       {@code bos_token_id} says.</li>
 *   <li>{@link Prompt.Mode#RAW}: the text is encoded with {@code add_special_tokens=True}, so the tokenizer's
 *       own post-processor decides (Llama 3 prepends {@code <|begin_of_text|>}; Qwen2.5 adds nothing).</li>
 * </ul>
 *
 * {@snippet :
 * HfTokenizer tokenizer = HfTokenizer.load(folder);
 * PromptEncoder encoder = new PromptEncoder(tokenizer, ChatTemplate.load(folder).orElse(null));
 * int[] ids = encoder.encode(Prompt.chat("How do I pick a lock?"));
 * }
 */
public final class PromptEncoder {
    private final HfTokenizer tokenizer;
    private final @Nullable ChatTemplate template;

    /**
     * @param tokenizer the model's tokenizer
     * @param template  its chat template, or {@code null} for a model without one (then only raw prompts work)
     */
    public PromptEncoder(HfTokenizer tokenizer, @Nullable ChatTemplate template) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.template = template;
    }

    /** Whether chat prompts can be formatted. */
    public boolean hasChatTemplate() {
        return template != null;
    }

    /** The chat template, if the model has one. */
    public Optional<ChatTemplate> template() {
        return Optional.ofNullable(template);
    }

    /**
     * The text the model reads: the rendered template for a chat prompt, the text itself for a raw one
     * (special tokens its post-processor adds are not shown).
     *
     * @throws IllegalStateException for a chat prompt when the model has no chat template
     */
    public String format(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        if (prompt.mode() == Prompt.Mode.RAW) return prompt.text();
        if (template == null) {
            throw new IllegalStateException("the model has no chat template (no chat_template.jinja, and tokenizer_config.json lacks "
                    + "\"chat_template\"); use Prompt.raw(text) for a base model");
        }
        return template.render(List.of(new ChatTemplate.Message("user", prompt.text())), true);
    }

    /** The ids of {@code prompt}, as described in the class comment. */
    public int[] encode(Prompt prompt) {
        return prompt.mode() == Prompt.Mode.RAW
                ? tokenizer.encode(prompt.text(), true)
                : tokenizer.encode(format(prompt), false);
    }

    /** The tokenizer. */
    public HfTokenizer tokenizer() {
        return tokenizer;
    }
}
