package io.cna4j.jlama.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ids and chat renderings against golden values from Hugging Face's JavaScript implementations (see
 * {@link Golden}): a dozen strings per tokenizer (Latin, accents, CJK, Cyrillic, Arabic, emoji, code,
 * whitespace runs, special tokens written in text) with and without the post-processor's special tokens,
 * and three chats per template, token by token.
 */
class GoldenTokenizationTest {

    @ParameterizedTest
    @ValueSource(strings = {Golden.SMOL, Golden.QWEN, Golden.LLAMA3})
    void idsEqualHuggingFacesForEveryGoldenString(String name) {
        JsonNode golden = Golden.data().path("tokenizers").path(name);
        assertThat(golden.path("encodings").size()).isGreaterThanOrEqualTo(12);
        try (HfTokenizer t = HfTokenizer.load(Golden.folder(name))) {
            for (JsonNode e : golden.path("encodings")) {
                String text = e.get("text").asText();
                assertThat(t.encode(text, false)).as("%s: %s", name, text).containsExactly(Golden.ints(e.get("ids")));
                assertThat(t.encode(text, true)).as("%s with special tokens: %s", name, text)
                        .containsExactly(Golden.ints(e.get("idsWithSpecialTokens")));
                assertThat(t.decode(Golden.ints(e.get("ids")), false)).as("%s decodes %s", name, text).isEqualTo(text);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Golden.SMOL, Golden.QWEN, Golden.LLAMA3})
    void chatTemplatesRenderAndEncodeAsHuggingFaceDoes(String name) {
        JsonNode golden = Golden.data().path("tokenizers").path(name);
        try (HfTokenizer t = HfTokenizer.load(Golden.folder(name))) {
            ChatTemplate template = ChatTemplate.load(Golden.folder(name)).orElseThrow();
            PromptEncoder encoder = new PromptEncoder(t, template);
            for (JsonNode chat : golden.path("chats")) {
                List<ChatTemplate.Message> messages = new ArrayList<>();
                for (JsonNode m : chat.get("messages")) messages.add(new ChatTemplate.Message(m.get("role").asText(), m.get("content").asText()));
                String rendered = template.render(messages, true, Map.of("date_string", "26 Jul 2024"));
                assertThat(rendered).as(name).isEqualTo(chat.get("rendered").asText());
                assertThat(t.encode(rendered, false)).as(name).containsExactly(Golden.ints(chat.get("ids")));
            }
            assertThat(encoder.hasChatTemplate()).isTrue();
        }
    }

    @org.junit.jupiter.api.Test
    void qwenChatPromptsCarryNoBeginningOfSequenceToken() {
        try (HfTokenizer t = HfTokenizer.load(Golden.folder(Golden.QWEN))) {
            PromptEncoder e = new PromptEncoder(t, ChatTemplate.load(Golden.folder(Golden.QWEN)).orElseThrow());
            int[] ids = e.encode(io.cna4j.model.Prompt.chat("How do I pick a lock?"));
            int endOfText = t.addedTokenId("<|endoftext|>").orElseThrow(); // config.json's bos_token_id, 151643
            assertThat(endOfText).isEqualTo(151643);
            assertThat(ids).doesNotContain(endOfText);
            assertThat(ids[0]).isEqualTo(t.addedTokenId("<|im_start|>").orElseThrow());
            assertThat(e.encode(io.cna4j.model.Prompt.raw("Hello world"))).containsExactly(9707, 1879);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Golden.SMOL, Golden.QWEN})
    void chatMlPromptsFollowTheTemplatesRulesTokenByToken(String name) {
        try (HfTokenizer t = HfTokenizer.load(Golden.folder(name))) {
            PromptEncoder e = new PromptEncoder(t, ChatTemplate.load(Golden.folder(name)).orElseThrow());
            int start = t.addedTokenId("<|im_start|>").orElseThrow(), end = t.addedTokenId("<|im_end|>").orElseThrow();
            int[] ids = e.encode(io.cna4j.model.Prompt.chat("Hi"));
            // <|im_start|>system\n{default system prompt}<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n
            assertThat(ids[0]).as("no beginning-of-sequence token before the first turn").isEqualTo(start);
            assertThat(count(ids, start)).isEqualTo(3);
            assertThat(count(ids, end)).isEqualTo(2);
            int[] user = t.encode("user\nHi", false), assistant = t.encode("assistant\n", false), newline = t.encode("\n", false);
            int[] expectedTail = concat(new int[] {end}, newline, new int[] {start}, user, new int[] {end}, newline, new int[] {start}, assistant);
            assertThat(Arrays.copyOfRange(ids, ids.length - expectedTail.length, ids.length)).containsExactly(expectedTail);
            assertThat(t.decode(Arrays.copyOfRange(ids, 1, 3), false)).isEqualTo("system\n");
        }
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @org.junit.jupiter.api.Test
    void llama3ChatAndRawPromptsStartWithExactlyOneBeginOfText() {
        try (HfTokenizer t = HfTokenizer.load(Golden.llama3Style())) {
            PromptEncoder e = new PromptEncoder(t, ChatTemplate.load(Golden.llama3Style()).orElseThrow());
            int bos = t.addedTokenId("<|begin_of_text|>").orElseThrow();
            int header = t.addedTokenId("<|start_header_id|>").orElseThrow(), end = t.addedTokenId("<|end_header_id|>").orElseThrow();
            int eot = t.addedTokenId("<|eot_id|>").orElseThrow();
            int[] chat = e.encode(io.cna4j.model.Prompt.chat("Hi"));
            assertThat(chat[0]).isEqualTo(bos);
            assertThat(count(chat, bos)).isEqualTo(1);
            // system header, user header, assistant header (the generation prompt), each closed by end-of-header
            assertThat(count(chat, header)).isEqualTo(3);
            assertThat(count(chat, end)).isEqualTo(3);
            assertThat(count(chat, eot)).isEqualTo(2);
            int[] tail = Arrays.copyOfRange(chat, chat.length - 4, chat.length);
            assertThat(t.decode(tail, false)).isEqualTo("<|start_header_id|>assistant<|end_header_id|>\n\n");
            int[] raw = e.encode(io.cna4j.model.Prompt.raw("Hello world"));
            assertThat(raw[0]).isEqualTo(bos);
            assertThat(count(raw, bos)).isEqualTo(1);
        }
    }

    private static long count(int[] ids, int id) {
        return Stream.of(Arrays.stream(ids).boxed().toArray(Integer[]::new)).filter(i -> i == id).count();
    }
}
