package io.cna4j.jlama.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.jlama.TestModels;
import io.cna4j.jlama.planted.PlantedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: {@code decode(encode(s)) == normalize(s)} over a seeded Unicode corpus (Latin with accents, CJK,
 * Cyrillic, Arabic, emoji with modifiers and joiners, code, whitespace runs), and a stream of the ids releases
 * exactly that text without ever showing U+FFFD. normalize is the tokenizer's own normalizer: none for SmolLM2,
 * NFC for Qwen2.5, and the planted tokenizer's "space after each newline".
 */
class RoundTripTest {
    private static final int CASES = 400;
    private static final String[] POOLS = {
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        " .,;:!?'\"()[]{}<>-_=+*/\\|@#$%^&~`",
        "éèêëàâäôöûüçñÅåØøßÆæœ",
        "日本語の文章と中文测试你好世界東京大阪漢字かなカタカナ",
        "АБВГДабвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "مرحبابالعالمالعربية",
        "👋🏽🚀😀🎉❤️👨‍👩‍👧🇫🇷",
        "    \t\n\r\n  \n\n",
    };

    @Test
    void smolLm2RoundTrips() {
        check(TestModels.smolSource(), UnaryOperator.identity(), 1);
    }

    @Test
    void qwen25RoundTripsToNfc() {
        check(TestModels.qwenSource(), s -> Normalizer.normalize(s, Normalizer.Form.NFC), 2);
    }

    @Test
    void plantedTokenizerRoundTrips(@TempDir Path dir) throws IOException {
        Path folder = PlantedModel.builder().layers(2).neuronsPerLayer(64).writeTo(dir.resolve("planted")).folder();
        check(folder, s -> s.replace("\n", "\n "), 3);
    }

    @Test
    void llama3StyleRoundTrips() {
        check(Golden.llama3Style(), UnaryOperator.identity(), 4);
    }

    private static void check(Path folder, UnaryOperator<String> normalize, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int held = 0;
        try (HfTokenizer t = HfTokenizer.load(folder)) {
            for (String s : corpus(r)) {
                int[] ids = t.encode(s, false);
                String expected = normalize.apply(s);
                assertThat(t.decode(ids, false)).as("round trip of %s", escape(s)).isEqualTo(expected);
                TextStream stream = new TextStream(t, false);
                StringBuilder joined = new StringBuilder();
                for (int id : ids) {
                    String piece = stream.next(id);
                    assertThat(piece).as("piece of %s", escape(s)).doesNotContain("\uFFFD");
                    if (piece.isEmpty()) held++;
                    joined.append(piece);
                }
                joined.append(stream.finish());
                assertThat(joined.toString()).as("stream of %s", escape(s)).isEqualTo(expected);
            }
        }
        assertThat(held).as("tokens whose character was completed only by a later token").isPositive();
    }

    private static List<String> corpus(SplittableRandom r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + r.nextInt(40);
            while (sb.codePointCount(0, sb.length()) < len) {
                String pool = POOLS[r.nextInt(POOLS.length)];
                int[] cps = pool.codePoints().toArray();
                int run = 1 + r.nextInt(6);
                for (int k = 0; k < run; k++) sb.appendCodePoint(cps[r.nextInt(cps.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
