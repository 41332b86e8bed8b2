package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.safetensors.SafetensorsHeader;
import io.cna4j.jlama.safetensors.TensorEntry;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ForwardResult;
import io.cna4j.model.Prompt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A random model of Llama 3.2's attention layout and RoPE ({@code llama3}, factor 32, theta 500000, head 64) run by
 * jlama through {@link JlamaModels#load} against Hugging Face's Llama forward pass written here in float64: the
 * logits agree within {@link #TOLERANCE} of their range at every tested position up to 300, on jlama's kernels and on
 * cna4j's ({@link Kernels#CNA4J}, whose attention reads the same corrected table), and jlama's own,
 * unscaled table misses that tolerance, so the test tells the two apart.
 */
class RopeEndToEndTest {
    /** Largest |jlama - float64 reference| over the vocabulary, relative to the reference logits' range (max - min). */
    static final double TOLERANCE = 1e-4;

    private static final Map<String, Object> LLAMA3 = Map.of("rope_type", "llama3", "factor", 32.0, "low_freq_factor", 1.0,
            "high_freq_factor", 4.0, "original_max_position_embeddings", 8192);
    private static final List<String> WORDS = List.of("the", "river", "carried", "small", "stones", "past", "an", "old", "mill",
            "while", "children", "counted", "boats", "and", "wind", "moved", "over", "green", "fields", "of", "summer", "light",
            "under", "a", "quiet", "sky", "near", "town", "where", "people", "walked", "home", "after", "work", "with", "bread");

    @TempDir
    Path tmp;

    @Test
    void llama3LogitsMatchAFloat64HuggingFaceForward() throws IOException {
        Path folder = RandomModelFolder.from(TestModels.smolSource())
                .layers(2).hiddenSize(256).intermediateSize(512).heads(4, 2).contextLength(16384)
                .override("rope_theta", 500000.0).override("rope_scaling", LLAMA3)
                .scale(0.25f).seed(32).writeTo(tmp.resolve("llama32-shaped"));
        Float64Llama reference = Float64Llama.read(folder);
        double[] scaled = RopeScalingTest.llama3InvFreq(500000, 64, 32, 1, 4, 8192);
        double[] unscaled = RopeScalingTest.defaultInvFreq(500000, 64);

        // positions up to 300: far inside Llama 3.2's original 8192 window, where jlama's error is already measurable
        List<String> words = List.of(text(300, 7).split(" "));
        int[] wordCounts = {10, 100, 200, 300};
        ForwardResult[] runs = new ForwardResult[wordCounts.length];
        float[][] stockRuns = new float[wordCounts.length][];
        AbstractModel stock = ModelSupport.loadModel(folder.toFile(), null, DType.F32, DType.I8, Optional.empty(), Optional.empty());
        try (JlamaSteerableModel ours = JlamaModels.load(folder)) {
            for (int i = 0; i < wordCounts.length; i++) {
                runs[i] = ours.forward(Prompt.raw(String.join(" ", words.subList(0, wordCounts[i]))), ActivationInterceptor.NONE);
                stockRuns[i] = ParityTest.stockLogits(stock, runs[i].promptTokens());
            }
        } finally {
            stock.close();
        }
        // The shorter prompts tokenize to prefixes of the longest (whole words), so one reference pass serves them all.
        int[] all = runs[runs.length - 1].promptTokens();
        int[] lastPositions = new int[runs.length];
        for (int i = 0; i < runs.length; i++) {
            int[] tokens = runs[i].promptTokens();
            assertThat(tokens).containsExactly(Arrays.copyOf(all, tokens.length));
            lastPositions[i] = tokens.length - 1;
        }
        assertThat(all.length).isGreaterThanOrEqualTo(300);
        double[][] expected = reference.logits(all, scaled, lastPositions);

        double worstOurs = 0, bestStock = Double.POSITIVE_INFINITY;
        for (int i = 0; i < runs.length; i++) {
            double range = range(expected[i]);
            double ours64 = maxDiff(runs[i].lastLogits(), expected[i]) / range;
            double stock64 = maxDiff(stockRuns[i], expected[i]) / range;
            System.out.printf(Locale.ROOT, "llama3 RoPE, position %3d: |jlama+cna4j - float64 HF| = %.2e of the logits' range,"
                    + " |stock jlama - float64 HF| = %.2e%n", lastPositions[i], ours64, stock64);
            assertThat(ours64).as("cna4j at position %d", lastPositions[i]).isLessThanOrEqualTo(TOLERANCE);
            assertThat(stock64).as("stock jlama's unscaled table at position %d", lastPositions[i]).isGreaterThan(10 * TOLERANCE);
            worstOurs = Math.max(worstOurs, ours64);
            bestStock = Math.min(bestStock, stock64);
        }
        // cna4j's own kernels (attention, MLP, head) read the same corrected table (the two farthest positions)
        try (JlamaSteerableModel own = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.CNA4J))) {
            assertThat(own.jlama().attentionAndHeadOnOwnKernels()).isTrue();
            for (int i = runs.length - 2; i < runs.length; i++) {
                float[] logits = own.forward(Prompt.raw(String.join(" ", words.subList(0, wordCounts[i]))), ActivationInterceptor.NONE).lastLogits();
                double own64 = maxDiff(logits, expected[i]) / range(expected[i]);
                System.out.printf(Locale.ROOT, "llama3 RoPE, position %3d: |cna4j kernels - float64 HF| = %.2e of the logits' range%n",
                        lastPositions[i], own64);
                assertThat(own64).as("cna4j's kernels at position %d", lastPositions[i]).isLessThanOrEqualTo(TOLERANCE);
            }
        }
        // stock jlama's error is the unscaled RoPE's: the float64 pass with unscaled frequencies misses by as much
        int last = runs.length - 1;
        double[] unscaledLast = reference.logits(all, unscaled, lastPositions[last])[0];
        double unscaledMiss = maxDiff(toFloat(unscaledLast), expected[last]) / range(expected[last]);
        assertThat(unscaledMiss).isCloseTo(maxDiff(stockRuns[last], expected[last]) / range(expected[last]),
                org.assertj.core.data.Percentage.withPercentage(5));
        System.out.printf(Locale.ROOT, "llama3 RoPE: largest cna4j difference %.2e of the range (tolerance %.0e); smallest stock jlama one %.2e%n",
                worstOurs, TOLERANCE, bestStock);
    }

    @Test
    void loadRefusesARopeTypeItCannotCompute() throws IOException {
        Path m = TestModels.copyOf(TestModels.tinySmol(), tmp.resolve("longrope"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) json.readTree(m.resolve("config.json").toFile());
        cfg.set("rope_scaling", json.readTree("{\"rope_type\":\"longrope\",\"short_factor\":[1.0],\"long_factor\":[2.0]}"));
        json.writeValue(m.resolve("config.json").toFile(), cfg);
        assertThatThrownBy(() -> JlamaModels.load(m)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(m.resolve("config.json").toString()).hasMessageContaining("rope_scaling.rope_type")
                .hasMessageContaining("'longrope'");
    }

    private static String text(int words, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) sb.append(i == 0 ? "" : " ").append(WORDS.get(r.nextInt(WORDS.size())));
        return sb.toString();
    }

    private static double range(double[] v) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        return hi - lo;
    }

    private static double maxDiff(float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        double m = 0;
        for (int i = 0; i < actual.length; i++) m = Math.max(m, Math.abs(actual[i] - expected[i]));
        return m;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /**
     * Hugging Face's {@code LlamaForCausalLM} in float64, from the weights file: token embedding; per layer RMSNorm,
     * q/k/v projections, rotate-half RoPE with the given inverse frequencies, causal grouped-query softmax attention,
     * o_proj and residual, RMSNorm, SiLU-gated MLP and residual; final RMSNorm and the (tied or separate) head.
     */
    record Float64Llama(int hidden, int heads, int kvHeads, int headDim, int inter, int layers, int vocab, double eps,
                        Map<String, float[]> w, boolean tied) {

        static Float64Llama read(Path folder) throws IOException {
            JsonNode c = new ObjectMapper().readTree(folder.resolve("config.json").toFile());
            int hidden = c.get("hidden_size").asInt(), heads = c.get("num_attention_heads").asInt();
            return new Float64Llama(hidden, heads, c.get("num_key_value_heads").asInt(), hidden / heads,
                    c.get("intermediate_size").asInt(), c.get("num_hidden_layers").asInt(), c.get("vocab_size").asInt(),
                    c.get("rms_norm_eps").asDouble(), readF32(folder.resolve("model.safetensors")),
                    !c.has("tie_word_embeddings") || c.get("tie_word_embeddings").asBoolean());
        }

        /** The logits at each of {@code positions}, after a causal pass over all of {@code tokens}. */
        double[][] logits(int[] tokens, double[] invFreq, int... positions) {
            int n = tokens.length, group = heads / kvHeads;
            float[] embed = w.get("model.embed_tokens.weight");
            double[][] x = new double[n][hidden];
            for (int t = 0; t < n; t++) for (int i = 0; i < hidden; i++) x[t][i] = embed[tokens[t] * hidden + i];
            for (int l = 0; l < layers; l++) {
                String p = "model.layers." + l + ".";
                double[][] q = new double[n][], k = new double[n][], v = new double[n][];
                for (int t = 0; t < n; t++) {
                    double[] h = rmsNorm(x[t], w.get(p + "input_layernorm.weight"));
                    q[t] = matVec(w.get(p + "self_attn.q_proj.weight"), h, heads * headDim);
                    k[t] = matVec(w.get(p + "self_attn.k_proj.weight"), h, kvHeads * headDim);
                    v[t] = matVec(w.get(p + "self_attn.v_proj.weight"), h, kvHeads * headDim);
                    rotate(q[t], heads, t, invFreq);
                    rotate(k[t], kvHeads, t, invFreq);
                }
                for (int t = 0; t < n; t++) {
                    double[] attn = new double[heads * headDim];
                    for (int hd = 0; hd < heads; hd++) {
                        int g = hd / group;
                        double[] scores = new double[t + 1];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int u = 0; u <= t; u++) {
                            double s = 0;
                            for (int i = 0; i < headDim; i++) s += q[t][hd * headDim + i] * k[u][g * headDim + i];
                            scores[u] = s / Math.sqrt(headDim);
                            max = Math.max(max, scores[u]);
                        }
                        double sum = 0;
                        for (int u = 0; u <= t; u++) sum += scores[u] = Math.exp(scores[u] - max);
                        for (int u = 0; u <= t; u++) {
                            double a = scores[u] / sum;
                            for (int i = 0; i < headDim; i++) attn[hd * headDim + i] += a * v[u][g * headDim + i];
                        }
                    }
                    add(x[t], matVec(w.get(p + "self_attn.o_proj.weight"), attn, hidden));
                }
                for (int t = 0; t < n; t++) {
                    double[] h = rmsNorm(x[t], w.get(p + "post_attention_layernorm.weight"));
                    double[] gate = matVec(w.get(p + "mlp.gate_proj.weight"), h, inter);
                    double[] up = matVec(w.get(p + "mlp.up_proj.weight"), h, inter);
                    for (int i = 0; i < inter; i++) gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
                    add(x[t], matVec(w.get(p + "mlp.down_proj.weight"), gate, hidden));
                }
            }
            double[][] out = new double[positions.length][];
            for (int i = 0; i < positions.length; i++) {
                double[] h = rmsNorm(x[positions[i]], w.get("model.norm.weight"));
                out[i] = matVec(tied ? embed : w.get("lm_head.weight"), h, vocab);
            }
            return out;
        }

        /** rotate_half: (x1, x2) -> (x1 cos - x2 sin, x2 cos + x1 sin) over each head's two halves. */
        private void rotate(double[] vec, int headCount, int position, double[] invFreq) {
            int half = headDim / 2;
            for (int hd = 0; hd < headCount; hd++) {
                for (int j = 0; j < half; j++) {
                    double angle = position * invFreq[j], c = Math.cos(angle), s = Math.sin(angle);
                    int a = hd * headDim + j, b = a + half;
                    double x1 = vec[a], x2 = vec[b];
                    vec[a] = x1 * c - x2 * s;
                    vec[b] = x2 * c + x1 * s;
                }
            }
        }

        private double[] rmsNorm(double[] x, float[] weight) {
            double ss = 0;
            for (double v : x) ss += v * v;
            double scale = 1 / Math.sqrt(ss / x.length + eps);
            double[] r = new double[x.length];
            for (int i = 0; i < x.length; i++) r[i] = x[i] * scale * weight[i];
            return r;
        }

        /** {@code m} is row-major, {@code rows x x.length} (PyTorch's Linear weight layout). */
        private static double[] matVec(float[] m, double[] x, int rows) {
            int cols = x.length;
            assertThat(m).hasSize(rows * cols);
            double[] r = new double[rows];
            for (int o = 0; o < rows; o++) {
                double s = 0;
                for (int i = 0, base = o * cols; i < cols; i++) s += m[base + i] * x[i];
                r[o] = s;
            }
            return r;
        }

        private static void add(double[] into, double[] v) {
            for (int i = 0; i < into.length; i++) into[i] += v[i];
        }

        private static Map<String, float[]> readF32(Path file) throws IOException {
            SafetensorsHeader h = SafetensorsHeader.read(file);
            Map<String, float[]> out = new HashMap<>();
            try (FileChannel ch = FileChannel.open(file)) {
                for (TensorEntry t : h.tensors()) {
                    assertThat(t.dtype()).isEqualTo("F32");
                    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.end() - t.begin())).order(ByteOrder.LITTLE_ENDIAN);
                    while (b.hasRemaining()) {
                        if (ch.read(b, h.dataStart() + t.begin() + b.position()) < 0) throw new IOException(file + " ends early");
                    }
                    float[] f = new float[Math.toIntExact(t.elementCount())];
                    b.flip().asFloatBuffer().get(f);
                    out.put(t.name(), f);
                }
            }
            return out;
        }
    }
}
