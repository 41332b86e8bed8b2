package io.cna4j.jlama.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.cna4j.jlama.ModelLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A model's Jinja chat template, rendered as Hugging Face's
 * {@code tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)} renders it.
 *
 * <p>The template comes from {@code chat_template.jinja} in the model folder when present (the newer
 * {@code transformers} layout), else from {@code tokenizer_config.json}'s {@code "chat_template"} (a string, or
 * a list of named templates, of which {@code "default"} is used). As in {@code transformers}, the template
 * sees {@code messages}, {@code add_generation_prompt}, every special token of {@code tokenizer_config.json}
 * as a string ({@code bos_token}, {@code eos_token}, {@code unk_token}, {@code pad_token}, and
 * {@code additional_special_tokens}), and the functions {@code raise_exception(message)} (which fails the
 * render) and {@code strftime_now(format)} (the current local date, as Llama 3's template asks). Blocks are
 * rendered with Jinja's {@code trim_blocks} and {@code lstrip_blocks}, as {@code transformers} configures its
 * environment. The rendered text keeps every special token as text; encode it with
 * {@code add_special_tokens=false} ({@link PromptEncoder} does), so a template that writes {@code bos_token}
 * yields one beginning-of-sequence token and one that does not yields none.
 *
 * <p>The engine is HubSpot's Jinjava, a maintained Java implementation of Jinja, configured as jlama
 * configures it for the same purpose plus Jinja's semantics for {@code raise_exception}.
 *
 * {@snippet :
 * ChatTemplate t = ChatTemplate.load(Path.of("models/Qwen2.5-0.5B-Instruct")).orElseThrow();
 * String text = t.render(List.of(new ChatTemplate.Message("user", "Hi")), true);
 * // "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
 * //   + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
 * }
 */
public final class ChatTemplate {
    /** The file that carries the template and the special tokens' strings. */
    public static final String CONFIG_FILE = "tokenizer_config.json";
    /** The stand-alone template file of newer {@code transformers} versions; it wins over the config's template. */
    public static final String TEMPLATE_FILE = "chat_template.jinja";

    private static final Jinjava JINJA = newEngine();

    private final String template;
    private final Map<String, Object> specialTokens;
    private final Path source;

    /**
     * A template with the special tokens' strings it may use.
     *
     * @param template      the Jinja source
     * @param specialTokens variables such as {@code bos_token} -> {@code "<|begin_of_text|>"}
     * @param source        where it came from, for error messages
     */
    public ChatTemplate(String template, Map<String, ?> specialTokens, Path source) {
        this.template = Objects.requireNonNull(template, "template");
        this.specialTokens = Map.copyOf(specialTokens);
        this.source = Objects.requireNonNull(source, "source");
    }

    /** One chat message: a role ({@code system}, {@code user}, {@code assistant}) and its text. */
    public record Message(String role, String content) {
        public Message {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", role);
            m.put("content", content);
            return m;
        }
    }

    /**
     * The chat template of a model folder, or empty when it has none (a base model).
     *
     * @throws ModelLoadException when {@code tokenizer_config.json} is not valid JSON or its template is malformed
     */
    public static Optional<ChatTemplate> load(Path folder) {
        Path config = folder.resolve(CONFIG_FILE), file = folder.resolve(TEMPLATE_FILE);
        JsonNode cfg = Files.isRegularFile(config) ? readJson(config) : new ObjectMapper().createObjectNode();
        Map<String, Object> tokens = specialTokens(cfg, config);
        if (Files.isRegularFile(file)) {
            try {
                return Optional.of(new ChatTemplate(Files.readString(file, StandardCharsets.UTF_8), tokens, file));
            } catch (IOException e) {
                throw new ModelLoadException(file + ": cannot be read (" + e.getMessage() + ")", e);
            }
        }
        JsonNode t = cfg.get("chat_template");
        if (t == null || t.isNull()) return Optional.empty();
        if (t.isTextual()) return t.asText().isBlank() ? Optional.empty() : Optional.of(new ChatTemplate(t.asText(), tokens, config));
        if (t.isArray()) { // [{"name": "default", "template": "..."}, {"name": "tool_use", ...}]
            for (JsonNode named : t) {
                if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                    return Optional.of(new ChatTemplate(named.get("template").asText(), tokens, config));
                }
            }
            throw new ModelLoadException(config + ": \"chat_template\" is a list without a template named \"default\"");
        }
        throw new ModelLoadException(config + ": \"chat_template\" is neither a string nor a list of named templates");
    }

    /**
     * Renders {@code messages}.
     *
     * @param addGenerationPrompt whether to append the assistant's turn header, as a chat model sees a request
     * @throws IllegalArgumentException when the template raises an exception or cannot be rendered
     */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders {@code messages} with extra template variables, as {@code apply_chat_template(..., **kwargs)}
     * passes them (e.g. {@code date_string} for Llama 3's template, which otherwise shows today's date).
     *
     * @throws IllegalArgumentException when the template raises an exception or cannot be rendered
     */
    public String render(List<Message> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        Objects.requireNonNull(messages, "messages");
        Map<String, Object> vars = new LinkedHashMap<>(specialTokens);
        vars.putAll(variables);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Message m : messages) list.add(m.asMap());
        vars.put("messages", list);
        vars.put("add_generation_prompt", addGenerationPrompt);
        // Jinja tests `strftime_now is defined` before calling it; Jinjava's functions are not variables
        vars.put("strftime_now", true);
        RenderResult r = JINJA.renderForResult(template, vars);
        List<TemplateError> fatal = r.getErrors().stream().filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
        if (!fatal.isEmpty()) {
            throw new IllegalArgumentException(source + ": the chat template failed: " + fatal.stream()
                    .map(e -> e.getMessage() + rootCause(e) + (e.getLineno() > 0 ? " (line " + e.getLineno() + ")" : ""))
                    .collect(Collectors.joining("; ")));
        }
        return r.getOutput();
    }

    /** The string of a special token the template sees, e.g. {@code specialToken("eos_token")} -> {@code "<|im_end|>"}. */
    public Optional<String> specialToken(String name) {
        return specialTokens.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** The Jinja source. */
    public String source() {
        return template;
    }

    /** Where the template was read from. */
    public Path origin() {
        return source;
    }

    private static String rootCause(TemplateError e) {
        Throwable t = e.getException();
        if (t == null) return "";
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null || e.getMessage().contains(t.getMessage()) ? "" : ": " + t.getMessage();
    }

    private static Map<String, Object> specialTokens(JsonNode cfg, Path config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : List.of("bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token")) {
            JsonNode n = cfg.get(key);
            if (n == null || n.isNull()) continue;
            String s = tokenString(n);
            if (s == null) throw new ModelLoadException(config + ": \"" + key + "\" is neither a string nor a token object with \"content\"");
            out.put(key, s);
        }
        JsonNode extra = cfg.get("additional_special_tokens");
        if (extra != null && extra.isArray()) {
            List<String> list = new ArrayList<>();
            for (JsonNode n : extra) {
                String s = tokenString(n);
                if (s != null) list.add(s);
            }
            out.put("additional_special_tokens", List.copyOf(list));
        }
        return out;
    }

    private static String tokenString(JsonNode n) {
        if (n.isTextual()) return n.asText();
        if (n.isObject() && n.path("content").isTextual()) return n.get("content").asText(); // {"content": "<s>", "lstrip": ...}
        return null;
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            if (n == null || !n.isObject()) throw new ModelLoadException(file + ": not a JSON object");
            return n;
        } catch (IOException e) {
            throw new ModelLoadException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    private static Jinjava newEngine() {
        Jinjava j = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withFailOnUnknownTokens(false)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withUseSnakeCasePropertyNaming(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build());
        j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", TemplateFunctions.class,
                "raiseException", String.class));
        j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now", TemplateFunctions.class,
                "strftimeNow", String.class));
        return j;
    }
}
