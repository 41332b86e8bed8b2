package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tjake.jlama.model.llama.LlamaConfig;
import com.github.tjake.jlama.model.qwen2.Qwen2Config;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.util.JsonSupport;
import io.cna4j.jlama.rope.JlamaRopeTable;
import io.cna4j.jlama.rope.RopeScaling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RopeScaling} against the published formulas of transformers' {@code modeling_rope_utils.py}, written
 * again here in double precision, and {@link JlamaRopeTable} against jlama's own table.
 */
class RopeScalingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FILE = Path.of("some-model", "config.json");

    // ---- the published formulas, in double precision ----

    /** {@code 1 / theta^(2j/dim)}. */
    static double[] defaultInvFreq(double theta, int dim) {
        double[] inv = new double[dim / 2];
        for (int j = 0; j < inv.length; j++) inv[j] = 1.0 / Math.pow(theta, 2.0 * j / dim);
        return inv;
    }

    /** Llama 3.1's scaling: keep short wavelengths, divide long ones by {@code factor}, blend those between. */
    static double[] llama3InvFreq(double theta, int dim, double factor, double low, double high, double original) {
        double[] inv = defaultInvFreq(theta, dim);
        for (int j = 0; j < inv.length; j++) {
            double wavelen = 2 * Math.PI / inv[j];
            if (wavelen > original / low) {
                inv[j] /= factor;
            } else if (wavelen >= original / high) {
                double smooth = (original / wavelen - low) / (high - low);
                inv[j] = (1 - smooth) * inv[j] / factor + smooth * inv[j];
            }
        }
        return inv;
    }

    enum Band { UNCHANGED, DIVIDED, SMOOTHED }

    static Band llama3Band(double theta, int dim, int j, double low, double high, double original) {
        double wavelen = 2 * Math.PI * Math.pow(theta, 2.0 * j / dim);
        return wavelen > original / low ? Band.DIVIDED : wavelen < original / high ? Band.UNCHANGED : Band.SMOOTHED;
    }

    /** YaRN (Peng et al. 2023) as transformers writes it, with the ramp between the correction dimensions. */
    static double[] yarnInvFreq(double theta, int dim, double factor, int original, double betaFast, double betaSlow, boolean truncate) {
        double low = dim * Math.log(original / (betaFast * 2 * Math.PI)) / (2 * Math.log(theta));
        double high = dim * Math.log(original / (betaSlow * 2 * Math.PI)) / (2 * Math.log(theta));
        if (truncate) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, dim - 1);
        if (low == high) high += 0.001;
        double[] inv = new double[dim / 2];
        for (int j = 0; j < inv.length; j++) {
            double extrapolation = 1 / Math.pow(theta, 2.0 * j / dim);
            double ramp = Math.min(1, Math.max(0, (j - low) / (high - low)));
            // ramp 0: extrapolation (high frequencies kept), ramp 1: interpolation (divided by factor)
            inv[j] = extrapolation / factor * ramp + extrapolation * (1 - ramp);
        }
        return inv;
    }

    private static JsonNode config(String json) throws IOException {
        return JSON.readTree(json);
    }

    /** A Llama-shaped config with head size 64 and the given rope fields (a JSON fragment). */
    private static JsonNode llama(String ropeFields) throws IOException {
        return config("{\"model_type\":\"llama\",\"hidden_size\":256,\"num_attention_heads\":4,"
                + "\"max_position_embeddings\":32768" + (ropeFields.isEmpty() ? "" : "," + ropeFields) + "}");
    }

    private static void assertFloatClose(float actual, double expected, int ulps, String what) {
        assertThat((double) Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
                .isLessThanOrEqualTo(ulps * (double) Math.ulp((float) expected));
    }

    // ---- 1. Llama 3.2 ----

    @Test
    void llama32FrequenciesFollowTheLlama3Formula() throws IOException {
        JsonNode cfg = JSON.readTree(TestModels.shared().resolve("models/Llama-3.2-1B-Instruct/config.json").toFile());
        RopeScaling rope = RopeScaling.fromConfig(cfg, FILE);
        assertThat(rope.type()).isEqualTo("llama3");
        assertThat(rope.headSize()).isEqualTo(64);
        assertThat(rope.theta()).isEqualTo(500000.0);
        assertThat(rope.attentionFactor()).isEqualTo(1.0);

        double[] expected = llama3InvFreq(500000, 64, 32, 1, 4, 8192);
        double[] unscaled = defaultInvFreq(500000, 64);
        float[] defaultOf500k = RopeScaling.fromConfig(llama("\"rope_theta\":500000.0"), FILE).inverseFrequencies();
        int[] counts = new int[3];
        for (int j = 0; j < 32; j++) {
            Band band = llama3Band(500000, 64, j, 1, 4, 8192);
            counts[band.ordinal()]++;
            float inv = rope.inverseFrequency(j);
            assertFloatClose(inv, expected[j], 4, "inv_freq[" + j + "] (" + band + ")");
            switch (band) {
                case UNCHANGED -> assertThat(inv).as("j=" + j).isEqualTo(defaultOf500k[j]);
                case DIVIDED -> assertThat(inv).as("j=" + j).isEqualTo(defaultOf500k[j] / 32f);
                case SMOOTHED -> assertThat((double) inv).as("j=" + j).isStrictlyBetween(unscaled[j] / 32, unscaled[j]);
            }
        }
        assertThat(counts).as("unchanged, divided by 32, smoothed").containsExactly(15, 14, 3);
        assertThat(llama3Band(500000, 64, 16, 1, 4, 8192)).isEqualTo(Band.SMOOTHED);
        assertThat(llama3Band(500000, 64, 20, 1, 4, 8192)).isEqualTo(Band.DIVIDED);
    }

    @Test
    void llama32JlamaTableBeforeAndAfter() throws IOException {
        JsonNode cfg = JSON.readTree(TestModels.shared().resolve("models/Llama-3.2-1B-Instruct/config.json").toFile());
        RopeScaling rope = RopeScaling.fromConfig(cfg, FILE);
        Config jlama = JsonSupport.om.treeToValue(cfg, LlamaConfig.class);   // all 131,072 positions x 32
        float[][] table = jlama.ropeFreqs.orElseThrow();
        int half = 32, position = 2000;
        double[] unscaled = defaultInvFreq(500000, 64), scaled = llama3InvFreq(500000, 64, 32, 1, 4, 8192);
        float[][] before = new float[half][];
        for (int j = 0; j < half; j++) before[j] = table[position * half + j].clone();

        JlamaRopeTable.rewrite(jlama, rope);

        for (int j : new int[] {16, 20}) {
            float[] after = table[position * half + j];
            double angleBefore = position * unscaled[j], angleAfter = position * scaled[j];
            System.out.printf(Locale.ROOT, "Llama-3.2 RoPE, position %d, frequency j=%d (%s): inv_freq %.9g -> %.9g, angle %.6f -> %.6f rad,"
                            + " jlama table {cos, sin} {%.6f, %.6f} -> {%.6f, %.6f}%n", position, j,
                    llama3Band(500000, 64, j, 1, 4, 8192), unscaled[j], (double) rope.inverseFrequency(j), angleBefore, angleAfter,
                    before[j][0], before[j][1], after[0], after[1]);
            // before: jlama's unscaled angle; after: the scaled one
            assertThat((double) before[j][0]).isCloseTo(Math.cos(angleBefore), org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) after[0]).isCloseTo(Math.cos(angleAfter), org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) after[1]).isCloseTo(Math.sin(angleAfter), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(Math.abs(after[0] - before[j][0]) + Math.abs(after[1] - before[j][1])).isGreaterThan(0.1f);
        }
        for (int j = 0; j < 15; j++) { // unchanged band: the same angles (jlama rounds its inv_freq once, HF twice)
            float[] after = table[position * half + j];
            assertThat((double) after[0]).as("j=" + j).isCloseTo(before[j][0], org.assertj.core.data.Offset.offset(1e-3));
        }
        // every row stays linear in its position (jlama's attention reads rows shifted by 2 per head group)
        for (int p : new int[] {0, 1, 8191, 8192, 131071}) {
            for (int j = 0; j < half; j++) {
                assertThat(table[p * half + j][0]).isEqualTo(rope.cos(p, j));
                assertThat(table[p * half + j][1]).isEqualTo(rope.sin(p, j));
            }
        }
        assertThat(table[0][0]).isEqualTo(1f);
        assertThat(table[0][1]).isEqualTo(0f);
    }

    @Test
    void defaultTablesKeepJlamasLayoutAndAngles() throws IOException {
        // Unscaled models: jlama's own table and the rewritten one differ only by float rounding of inv_freq
        // (jlama rounds 1/theta^e once, transformers rounds the power and then its reciprocal), at the same indices.
        for (var model : List.of(Map.entry("SmolLM2-135M-Instruct", LlamaConfig.class), Map.entry("Qwen2.5-0.5B-Instruct", Qwen2Config.class))) {
            JsonNode cfg = JSON.readTree(TestModels.shared().resolve("models/" + model.getKey() + "/config.json").toFile());
            RopeScaling rope = RopeScaling.fromConfig(cfg, FILE);
            assertThat(rope.type()).isEqualTo("default");
            Config jlama = JsonSupport.om.treeToValue(cfg, model.getValue());
            float[][] table = jlama.ropeFreqs.orElseThrow();
            float[][] before = new float[table.length][];
            for (int i = 0; i < table.length; i++) before[i] = table[i].clone();
            JlamaRopeTable.rewrite(jlama, rope);
            int half = rope.headSize() / 2, changed = 0;
            for (int p = 0; p < jlama.contextLength; p++) {
                double bound = 4 * p * 0x1p-24 + 1e-6; // an angle of p * inv_freq, inv_freq < 1, 1-2 ulps apart
                for (int j = 0; j < half; j++) {
                    float[] b = before[p * half + j], a = table[p * half + j];
                    assertThat((double) Math.abs(a[0] - b[0])).as("%s p=%d j=%d cos", model.getKey(), p, j).isLessThanOrEqualTo(bound);
                    assertThat((double) Math.abs(a[1] - b[1])).as("%s p=%d j=%d sin", model.getKey(), p, j).isLessThanOrEqualTo(bound);
                    if (a[0] != b[0] || a[1] != b[1]) changed++;
                }
            }
            System.out.printf(Locale.ROOT, "%s: %d of %d RoPE table entries changed by float rounding%n", model.getKey(), changed, table.length);
        }
    }

    // ---- 2. the other types, the legacy key, and refusals ----

    @Test
    void defaultIsTheFloat32Formula() throws IOException {
        RopeScaling rope = RopeScaling.fromConfig(llama("\"rope_theta\":500000.0,\"rope_scaling\":null"), FILE);
        assertThat(rope.type()).isEqualTo("default");
        double[] expected = defaultInvFreq(500000, 64);
        for (int j = 0; j < 32; j++) assertFloatClose(rope.inverseFrequency(j), expected[j], 2, "j=" + j);
        assertThat(rope.inverseFrequency(0)).isEqualTo(1f);
        // absent rope_theta: transformers' default 10000
        assertThat(RopeScaling.fromConfig(llama(""), FILE).theta()).isEqualTo(10000.0);
        // angle = float(position) * inv_freq in float32, cos and sin of that float
        assertThat(rope.angle(3000, 5)).isEqualTo(3000f * rope.inverseFrequency(5));
        assertThat(rope.cos(3000, 5)).isEqualTo((float) Math.cos(3000f * rope.inverseFrequency(5)));
    }

    @Test
    void linearDividesByTheFactorAndTheLegacyTypeKeyIsRead() throws IOException {
        float[] base = RopeScaling.fromConfig(llama("\"rope_theta\":10000"), FILE).inverseFrequencies();
        RopeScaling linear = RopeScaling.fromConfig(llama("\"rope_theta\":10000,\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":4.0}"), FILE);
        RopeScaling legacy = RopeScaling.fromConfig(llama("\"rope_theta\":10000,\"rope_scaling\":{\"type\":\"linear\",\"factor\":4}"), FILE);
        assertThat(legacy.type()).isEqualTo("linear");
        double[] expected = defaultInvFreq(10000, 64);
        for (int j = 0; j < 32; j++) {
            assertThat(linear.inverseFrequency(j)).isEqualTo(base[j] / 4f);
            assertThat(legacy.inverseFrequency(j)).isEqualTo(linear.inverseFrequency(j));
            assertFloatClose(linear.inverseFrequency(j), expected[j] / 4, 2, "j=" + j);
        }
        assertThat(linear.attentionFactor()).isEqualTo(1.0);
    }

    @Test
    void dynamicEqualsDefaultWithinTheContext() throws IOException {
        float[] base = RopeScaling.fromConfig(llama("\"rope_theta\":1000000.0"), FILE).inverseFrequencies();
        RopeScaling dynamic = RopeScaling.fromConfig(llama("\"rope_theta\":1000000.0,\"rope_scaling\":{\"type\":\"dynamic\",\"factor\":2.0}"), FILE);
        assertThat(dynamic.type()).isEqualTo("dynamic");
        assertThat(dynamic.inverseFrequencies()).containsExactly(base);
        assertThat(dynamic.attentionFactor()).isEqualTo(1.0);
    }

    @Test
    void yarnQwen2StyleFollowsThePaperFormula() throws IOException {
        JsonNode cfg = config("{\"model_type\":\"qwen2\",\"hidden_size\":896,\"num_attention_heads\":14,\"max_position_embeddings\":32768,"
                + "\"rope_theta\":1000000.0,\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4.0,\"original_max_position_embeddings\":32768}}");
        RopeScaling yarn = RopeScaling.fromConfig(cfg, FILE);
        assertThat(yarn.type()).isEqualTo("yarn");
        assertThat(yarn.headSize()).isEqualTo(64);
        assertThat(yarn.attentionFactor()).isEqualTo(0.1 * Math.log(4) + 1);
        double[] expected = yarnInvFreq(1e6, 64, 4, 32768, 32, 1, true);
        double[] unscaled = defaultInvFreq(1e6, 64);
        int kept = 0, divided = 0, ramped = 0;
        for (int j = 0; j < 32; j++) {
            assertFloatClose(yarn.inverseFrequency(j), expected[j], 4, "j=" + j);
            if (Math.abs(expected[j] - unscaled[j]) < 1e-12 * unscaled[j]) kept++;
            else if (Math.abs(expected[j] - unscaled[j] / 4) < 1e-12 * unscaled[j]) divided++;
            else ramped++;
        }
        assertThat(kept).isPositive();
        assertThat(divided).isPositive();
        assertThat(ramped).isPositive();
        // the attention factor multiplies cos and sin
        float angle = 1234f * yarn.inverseFrequency(3);
        assertThat(yarn.cos(1234, 3)).isEqualTo((float) Math.cos(angle) * (float) (0.1 * Math.log(4) + 1));
        assertThat(yarn.sin(1234, 3)).isEqualTo((float) Math.sin(angle) * (float) (0.1 * Math.log(4) + 1));

        // truncate false: the unrounded correction range
        RopeScaling untruncated = RopeScaling.fromConfig(config(cfg.toString().replace("\"factor\":4.0", "\"factor\":4.0,\"truncate\":false")), FILE);
        double[] expectedUntruncated = yarnInvFreq(1e6, 64, 4, 32768, 32, 1, false);
        for (int j = 0; j < 32; j++) assertFloatClose(untruncated.inverseFrequency(j), expectedUntruncated[j], 4, "untruncated j=" + j);
        assertThat(untruncated.inverseFrequencies()).isNotEqualTo(yarn.inverseFrequencies());
    }

    @Test
    void yarnAttentionFactorFromMscaleOrGiven() throws IOException {
        String deepseekLike = "\"rope_theta\":10000,\"rope_scaling\":{\"type\":\"yarn\",\"factor\":40,\"mscale\":0.707,\"mscale_all_dim\":1.0,"
                + "\"original_max_position_embeddings\":4096,\"beta_fast\":32,\"beta_slow\":1}";
        RopeScaling m = RopeScaling.fromConfig(llama(deepseekLike), FILE);
        assertThat(m.attentionFactor()).isCloseTo((0.1 * 0.707 * Math.log(40) + 1) / (0.1 * Math.log(40) + 1),
                org.assertj.core.data.Offset.offset(1e-15));
        RopeScaling given = RopeScaling.fromConfig(llama("\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":8,\"attention_factor\":0.5}"), FILE);
        assertThat(given.attentionFactor()).isEqualTo(0.5);
        // without original_max_position_embeddings the ramp is placed over max_position_embeddings (32768 here)
        RopeScaling noOriginal = RopeScaling.fromConfig(llama("\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":8}"), FILE);
        double[] expected = yarnInvFreq(10000, 64, 8, 32768, 32, 1, true);
        for (int j = 0; j < 32; j++) assertFloatClose(noOriginal.inverseFrequency(j), expected[j], 4, "j=" + j);
        assertThat(noOriginal.attentionFactor()).isEqualTo(0.1 * Math.log(8) + 1);
    }

    @Test
    void transformers5RopeParametersAreRead() throws IOException {
        RopeScaling rope = RopeScaling.fromConfig(llama("\"rope_parameters\":{\"rope_type\":\"linear\",\"factor\":2.0,\"rope_theta\":500000.0}"), FILE);
        assertThat(rope.type()).isEqualTo("linear");
        assertThat(rope.theta()).isEqualTo(500000.0);
    }

    @Test
    void unknownTypesAreRefusedNamingFileFieldAndType() {
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama("\"rope_scaling\":{\"rope_type\":\"longrope\",\"short_factor\":[1],\"long_factor\":[2]}"), FILE))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(FILE.toString()).hasMessageContaining("rope_scaling.rope_type").hasMessageContaining("'longrope'")
                .hasMessageContaining("default, linear, dynamic, yarn, llama3");
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama("\"rope_scaling\":{\"type\":\"su\",\"factor\":2}"), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("rope_scaling.type").hasMessageContaining("'su'");
    }

    @Test
    void missingOrMalformedFieldsAreRefused() {
        String llama3NoFactor = "\"rope_scaling\":{\"rope_type\":\"llama3\",\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
                + "\"original_max_position_embeddings\":8192}";
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama(llama3NoFactor), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(FILE.toString())
                .hasMessageContaining("rope_scaling.factor is missing").hasMessageContaining("'llama3'");
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama("\"rope_scaling\":{\"type\":\"yarn\"}"), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("rope_scaling.factor is missing").hasMessageContaining("'yarn'");
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama("\"rope_scaling\":{\"type\":\"linear\",\"factor\":\"4\"}"), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("rope_scaling.factor must be a positive number");
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama(llama3NoFactor.replace("{", "{\"factor\":8,").replace("4.0", "1.0")), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("high_freq_factor");
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama(llama3NoFactor.replace("{", "{\"factor\":8,").replace("8192", "8192.5")), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("original_max_position_embeddings must be a positive integer");
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama("\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4,\"truncate\":\"no\"}"), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("rope_scaling.truncate");
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama("\"rope_scaling\":[1,2]"), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("rope_scaling must be a JSON object");
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama("\"rope_theta\":-1"), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("rope_theta must be a positive number");
        assertThatThrownBy(() -> RopeScaling.fromConfig(llama("\"partial_rotary_factor\":0.5"), FILE))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("partial_rotary_factor");
    }

    @Test
    void jlamaGetsARopeThetaItCanBuildATableFrom() throws IOException {
        // Qwen2 without rope_theta: jlama alone would build no table (the model would run without positions)
        ObjectNode cfg = (ObjectNode) config("{\"model_type\":\"qwen2\",\"hidden_size\":128,\"intermediate_size\":256,\"num_attention_heads\":2,"
                + "\"num_key_value_heads\":1,\"num_hidden_layers\":1,\"rms_norm_eps\":1e-6,\"vocab_size\":256,\"bos_token_id\":0,"
                + "\"eos_token_id\":1,\"hidden_act\":\"silu\",\"max_position_embeddings\":64}");
        assertThat(JsonSupport.om.treeToValue(cfg, Qwen2Config.class).ropeFreqs).isEmpty();
        RopeScaling rope = RopeScaling.fromConfig(cfg, FILE);
        Config jlama = JsonSupport.om.treeToValue(JlamaRopeTable.withRopeTheta(cfg, rope), Qwen2Config.class);
        assertThat(cfg.has("rope_theta")).as("the caller's tree is not changed").isFalse();
        JlamaRopeTable.rewrite(jlama, rope);
        assertThat(jlama.ropeFreqs.orElseThrow()[64 * 63 / 2 + 5]).containsExactly(rope.cos(63, 5), rope.sin(63, 5));
        // with a rope_theta the tree is passed on as it is
        cfg.put("rope_theta", 1e6);
        assertThat(JlamaRopeTable.withRopeTheta(cfg, RopeScaling.fromConfig(cfg, FILE))).isSameAs(cfg);
    }

    @Test
    void aHeadSizeJlamaDoesNotUseIsRefused() throws IOException {
        // jlama's Llama config ignores head_dim: its table would be for 256 / 4 = 64, the model's heads are 32 wide
        JsonNode cfg = config("{\"model_type\":\"llama\",\"hidden_size\":256,\"intermediate_size\":256,\"num_attention_heads\":4,"
                + "\"num_key_value_heads\":2,\"num_hidden_layers\":1,\"rms_norm_eps\":1e-6,\"vocab_size\":256,\"bos_token_id\":0,"
                + "\"eos_token_id\":1,\"hidden_act\":\"silu\",\"max_position_embeddings\":64,\"rope_theta\":10000,\"head_dim\":32}");
        RopeScaling rope = RopeScaling.fromConfig(cfg, FILE);
        assertThat(rope.headSize()).isEqualTo(32);
        Config jlama = JsonSupport.om.treeToValue(cfg, LlamaConfig.class);
        assertThatThrownBy(() -> JlamaRopeTable.rewrite(jlama, rope))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(FILE.toString()).hasMessageContaining("head size is 32")
                .hasMessageContaining("jlama uses 64");
    }
}
