package io.cna4j.jlama.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.jlama.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendering rules of {@code transformers}' chat templates that the golden files do not all exercise. */
class ChatTemplateTest {
    private static final List<ChatTemplate.Message> HI = List.of(new ChatTemplate.Message("user", "Hi"));

    @Test
    void trimBlocksAndLstripBlocksAsInTransformers() {
        String src = "{% for m in messages %}\n    {% if m.role == 'user' %}\n[{{ m.content }}]\n    {% endif %}\n{% endfor %}\n"
                + "{% if add_generation_prompt %}\n>{% endif %}";
        ChatTemplate t = new ChatTemplate(src, Map.of(), Path.of("inline"));
        // trim_blocks drops the newline after each block tag, lstrip_blocks the indentation before it
        assertThat(t.render(HI, true)).isEqualTo("[Hi]\n>");
        assertThat(t.render(HI, false)).isEqualTo("[Hi]\n");
    }

    @Test
    void specialTokensAreVariablesAndTokenObjectsGiveTheirContent(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>",
                 "chat_template": "{{ bos_token }}{% for m in messages %}{{ m['content'] }}{{ eos_token }}{% endfor %}"}""");
        ChatTemplate t = ChatTemplate.load(dir).orElseThrow();
        assertThat(t.render(HI, true)).isEqualTo("<s>Hi</s>");
        assertThat(t.specialToken("eos_token")).contains("</s>");
    }

    @Test
    void raiseExceptionFailsTheRender() {
        ChatTemplate t = new ChatTemplate("{% if messages[0]['role'] != 'system' %}{{ raise_exception('needs a system turn') }}{% endif %}",
                Map.of(), Path.of("inline"));
        assertThatThrownBy(() -> t.render(HI, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a system turn");
    }

    @Test
    void strftimeNowIsDefinedAndGivesTodaysDate() {
        ChatTemplate t = new ChatTemplate("{% if strftime_now is defined %}{{ strftime_now('%d %b %Y') }}{% else %}undefined{% endif %}",
                Map.of(), Path.of("inline"));
        String before = LocalDate.now().format(DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.US));
        String rendered = t.render(HI, true);
        String after = LocalDate.now().format(DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.US));
        assertThat(rendered).isIn(before, after);
        assertThat(TemplateFunctions.strftime(LocalDateTime.of(2024, 7, 26, 9, 5, 3), "%d %b %Y %H:%M:%S %A %%"))
                .isEqualTo("26 Jul 2024 09:05:03 Friday %");
    }

    @Test
    void standAloneTemplateFileWinsAndNamedTemplateListsUseDefault(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"chat_template": [{"name": "tool_use", "template": "tools"}, {"name": "default", "template": "plain {{ messages[0].content }}"}]}""");
        assertThat(ChatTemplate.load(dir).orElseThrow().render(HI, true)).isEqualTo("plain Hi");
        Files.writeString(dir.resolve("chat_template.jinja"), "file {{ messages[0].content }}");
        assertThat(ChatTemplate.load(dir).orElseThrow().render(HI, true)).isEqualTo("file Hi");
    }

    @Test
    void noTemplateIsEmptyAndBrokenConfigsNameTheFile(@TempDir Path dir) throws IOException {
        assertThat(ChatTemplate.load(dir)).isEmpty();
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": null}");
        assertThat(ChatTemplate.load(dir)).isEmpty();
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": 42}");
        assertThatThrownBy(() -> ChatTemplate.load(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer_config.json").hasMessageContaining("chat_template");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": ");
        assertThatThrownBy(() -> ChatTemplate.load(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void brokenTokenizerFilesNameTheFile(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> HfTokenizer.load(dir)).isInstanceOf(ModelLoadException.class).hasMessageContaining("missing");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\"}");
        assertThatThrownBy(() -> HfTokenizer.load(dir)).isInstanceOf(ModelLoadException.class).hasMessageContaining("\"model\"");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"NoSuchModel\"}}");
        assertThatThrownBy(() -> HfTokenizer.load(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer.json").hasMessageContaining("cannot build");
    }
}
