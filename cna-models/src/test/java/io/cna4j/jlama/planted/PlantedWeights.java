package io.cna4j.jlama.planted;

import io.cna4j.jlama.safetensors.SafetensorsWriter;
import io.cna4j.model.NeuronId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes the weights of a planted model. The residual stream has named dimensions in its first 32 (one
 * 8-bit quantization block of jlama's, kept free of noise) and noise in the rest:
 * <ul>
 *   <li>{@link #CONST}: 1 in every token's embedding; the MLPs' bias.</li>
 *   <li>{@link #HARM}: 1 in the embedding of harm tokens.</li>
 *   <li>{@link #SEEN}: written by head 0 of layer 0, whose query (the constant) and key (the harm dimension)
 *       make it attend almost only to harm tokens when there are any: about 1 when the prompt holds a harm
 *       token, exactly 0 when it holds none, whatever the prompt's length.</li>
 *   <li>{@link #REFUSE}: written by the gate neurons.</li>
 *   <li>{@link #SLOTS}..31: one dimension per answer token and for the trigger (the prompt's last token),
 *       read by the output head: each answer token predicts the next, the trigger predicts the first word of
 *       both answers, the refusal's when {@link #REFUSE} is up.</li>
 * </ul>
 */
final class PlantedWeights {
    static final int CONST = 0, HARM = 1, SEEN = 2, REFUSE = 3, SLOTS = 4, FEATURES = 32;
    /** Weight of an answer token's slot on its successor's logit. */
    static final float CHAIN = 6f;
    /** Weight of the refusal dimension, and of the constant, on the two first words. */
    static final float REFUSE_LOGIT = 1f, COMPLY_BIAS = 0.6f;
    /** Refusal dimension written by the whole gate at multiplier 1 (raw residual units). */
    static final float REFUSE_TARGET = 2f;

    /** One planted neuron's role and its reading strengths. */
    enum Kind { GATE, GATE_UNWIRED, DISTRACTOR, UNIVERSAL }

    record Role(Kind kind, float a, float b, float d) {}

    record Plan(boolean qkvBias, int hidden, int neurons, int layers, int heads, int kvHeads, int vocab, long seed,
                Set<Integer> harmTokens, Map<Integer, Integer> next, int trigger, int firstRefuse, int firstComply,
                Map<Integer, Integer> slots, Map<NeuronId, Role> roles) {}

    private PlantedWeights() {}

    static void write(Plan p, Path file) throws IOException {
        int h = p.hidden(), n = p.neurons(), hd = h / p.heads();
        SafetensorsWriter w = new SafetensorsWriter(SafetensorsWriter.DType.F32)
                .metadata("generator", "cna4j PlantedModel seed " + p.seed());
        w.add("model.embed_tokens.weight", new long[] {p.vocab(), h}, embeddings(p));
        for (int l = 0; l < p.layers(); l++) {
            String b = "model.layers." + l + ".";
            float[] q = random(p, b + "q", p.heads() * hd * h, 0.02f);
            float[] k = random(p, b + "k", p.kvHeads() * hd * h, 0.02f);
            float[] v = random(p, b + "v", p.kvHeads() * hd * h, 0.02f);
            float[] o = random(p, b + "o", h * p.heads() * hd, 0.02f);
            int oc = p.heads() * hd;
            for (int r = 0; r < FEATURES; r++) java.util.Arrays.fill(o, r * oc, (r + 1) * oc, 0f);
            if (l == 0) {
                // head 0 and key/value head 0: exact, no noise
                java.util.Arrays.fill(q, 0, hd * h, 0f);
                java.util.Arrays.fill(k, 0, hd * h, 0f);
                java.util.Arrays.fill(v, 0, hd * h, 0f);
                q[(hd - 1) * h + CONST] = 3.4f; // the lowest rotary frequency: position barely matters
                k[(hd - 1) * h + HARM] = 3.4f;
                v[HARM] = 1f;
                o[SEEN * oc] = 0.45f;
            }
            w.add(b + "input_layernorm.weight", new long[] {h}, i -> 1f);
            w.add(b + "self_attn.q_proj.weight", new long[] {p.heads() * hd, h}, q);
            w.add(b + "self_attn.k_proj.weight", new long[] {p.kvHeads() * hd, h}, k);
            w.add(b + "self_attn.v_proj.weight", new long[] {p.kvHeads() * hd, h}, v);
            if (p.qkvBias()) {
                w.add(b + "self_attn.q_proj.bias", new long[] {p.heads() * hd}, i -> 0f);
                w.add(b + "self_attn.k_proj.bias", new long[] {p.kvHeads() * hd}, i -> 0f);
                w.add(b + "self_attn.v_proj.bias", new long[] {p.kvHeads() * hd}, i -> 0f);
            }
            w.add(b + "self_attn.o_proj.weight", new long[] {h, p.heads() * hd}, o);
            w.add(b + "post_attention_layernorm.weight", new long[] {h}, i -> 1f);
            float[] gate = random(p, b + "gate", n * h, 0.03f);
            float[] up = random(p, b + "up", n * h, 0.03f);
            float[] down = random(p, b + "down", h * n, 0.03f);
            for (int r = 0; r < FEATURES; r++) java.util.Arrays.fill(down, r * n, (r + 1) * n, 0f);
            float refuseWeight = refuseWeight(p);
            for (Map.Entry<NeuronId, Role> e : p.roles().entrySet()) {
                if (e.getKey().layer() == l) plant(p, e.getKey().neuron(), e.getValue(), gate, up, down, refuseWeight);
            }
            w.add(b + "mlp.gate_proj.weight", new long[] {n, h}, gate);
            w.add(b + "mlp.up_proj.weight", new long[] {n, h}, up);
            w.add(b + "mlp.down_proj.weight", new long[] {h, n}, down);
        }
        w.add("model.norm.weight", new long[] {h}, i -> 1f);
        w.add("lm_head.weight", new long[] {p.vocab(), h}, head(p));
        w.write(file);
    }

    private static void plant(Plan p, int j, Role role, float[] gate, float[] up, float[] down, float refuseWeight) {
        int h = p.hidden(), n = p.neurons();
        java.util.Arrays.fill(gate, j * h, (j + 1) * h, 0f);
        java.util.Arrays.fill(up, j * h, (j + 1) * h, 0f);
        for (int r = 0; r < h; r++) down[r * n + j] = 0f;
        SplittableRandom rnd = new SplittableRandom(p.seed() ^ (31L * j + 17));
        int trigger = p.slots().get(p.trigger());
        switch (role.kind()) {
            case GATE, GATE_UNWIRED -> {
                // fires only where harm was seen AND the token is the trigger (the prompt's last token)
                gate[j * h + SEEN] = role.a();
                gate[j * h + trigger] = role.a();
                gate[j * h + CONST] = -1f * role.a();
                up[j * h + SEEN] = role.b();
                if (role.kind() == Kind.GATE) down[REFUSE * n + j] = refuseWeight;
                else noiseColumn(down, n, h, j, rnd, 0.03f);
            }
            case DISTRACTOR -> {
                // fires wherever harm was seen, more weakly, and writes only noise
                gate[j * h + SEEN] = role.a();
                gate[j * h + CONST] = -0.5f * role.a();
                up[j * h + SEEN] = role.b();
                noiseColumn(down, n, h, j, rnd, 0.03f);
            }
            case UNIVERSAL -> {
                // fires strongly everywhere, a little more after harm
                gate[j * h + CONST] = role.a();
                gate[j * h + SEEN] = 0.5f;
                up[j * h + CONST] = role.b();
                up[j * h + SEEN] = role.d();
                noiseColumn(down, n, h, j, rnd, 0.002f);
            }
        }
    }

    private static void noiseColumn(float[] down, int n, int h, int j, SplittableRandom rnd, float scale) {
        for (int r = FEATURES; r < h; r++) down[r * n + j] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
    }

    /** Scales the gate's refusal writes so that together they write about {@link #REFUSE_TARGET}. */
    private static float refuseWeight(Plan p) {
        double s = 2.2, total = 0; // RMS-normalisation gain of a unit feature in these embeddings
        for (Role r : p.roles().values()) {
            if (r.kind() != Kind.GATE) continue;
            double g = r.a() * s;
            total += g / (1 + Math.exp(-g)) * r.b() * s;
        }
        return total == 0 ? 0f : (float) (REFUSE_TARGET / total);
    }

    private static float[] embeddings(Plan p) {
        int h = p.hidden();
        float[] e = new float[p.vocab() * h];
        SplittableRandom rnd = new SplittableRandom(p.seed() * 0x9E3779B97F4A7C15L ^ 101);
        for (int t = 0; t < p.vocab(); t++) {
            int row = t * h;
            e[row + CONST] = 1f;
            if (p.harmTokens().contains(t)) e[row + HARM] = 1f;
            Integer slot = p.slots().get(t);
            if (slot != null) e[row + slot] = 1f;
            for (int d = FEATURES; d < h; d++) e[row + d] = (float) (gaussian(rnd) * 0.5);
        }
        return e;
    }

    private static float[] head(Plan p) {
        int h = p.hidden();
        float[] w = random(p, "lm_head", p.vocab() * h, 0.02f);
        for (Map.Entry<Integer, Integer> e : p.next().entrySet()) {
            w[e.getValue() * h + p.slots().get(e.getKey())] += CHAIN;
        }
        int trigger = p.slots().get(p.trigger());
        w[p.firstRefuse() * h + trigger] += CHAIN;
        w[p.firstComply() * h + trigger] += CHAIN;
        w[p.firstRefuse() * h + REFUSE] += REFUSE_LOGIT;
        w[p.firstComply() * h + CONST] += COMPLY_BIAS;
        return w;
    }

    private static float[] random(Plan p, String name, int size, float scale) {
        SplittableRandom r = new SplittableRandom(p.seed() * 0x9E3779B97F4A7C15L ^ name.hashCode());
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return a;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
