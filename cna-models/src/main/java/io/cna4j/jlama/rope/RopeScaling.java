package io.cna4j.jlama.rope;

import com.fasterxml.jackson.databind.JsonNode;
import io.cna4j.jlama.ModelLoadException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rotary position embedding (RoPE) of a Hugging Face {@code config.json}: its inverse frequencies and its
 * attention factor, computed as transformers' {@code modeling_rope_utils.py} defines them for the types
 * {@code default}, {@code linear}, {@code dynamic}, {@code yarn} and {@code llama3}.
 *
 * <p>Why: jlama 0.8.4 scales its RoPE table only for {@code rope_scaling.rope_type == "linear"} in Llama configs
 * and ignores {@code rope_scaling} for every other type and in Qwen2 and Mistral configs, so Llama 3.1-3.3
 * ({@code llama3}) and YaRN models ran with the wrong angles. {@link JlamaRopeTable} writes these values into
 * jlama's table.
 *
 * <p>What is read: {@code rope_theta} (default 10000, as in transformers' Llama, Qwen2 and Mistral configs), the
 * head size ({@code head_dim}, else {@code hidden_size / num_attention_heads}), {@code max_position_embeddings},
 * and the parameters in {@code rope_scaling} (or transformers 5's {@code rope_parameters}), whose type is under
 * {@code rope_type} or the legacy key {@code type}; an absent or {@code null} {@code rope_scaling} is
 * {@code default}. Per type:
 * <ul>
 *   <li>{@code default}: {@code inv_freq[j] = 1 / theta^(2j/dim)}.</li>
 *   <li>{@code linear}: {@code inv_freq / factor}.</li>
 *   <li>{@code dynamic} (NTK): transformers recomputes the base only once a sequence grows past
 *       {@code max_position_embeddings}; at every position up to it, which is every position jlama's table has
 *       and so every one cna4j runs, it equals {@code default} (computed here through the same formula at
 *       {@code seq_len = max_position_embeddings}).</li>
 *   <li>{@code llama3}: wavelengths {@code 2 pi / inv_freq} above
 *       {@code original_max_position_embeddings / low_freq_factor} are divided by {@code factor}, those below
 *       {@code original_max_position_embeddings / high_freq_factor} are kept, and those between are blended with
 *       {@code smooth = (original / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)}.</li>
 *   <li>{@code yarn}: interpolated ({@code / factor}) and extrapolated frequencies blended by a linear ramp between
 *       the correction dimensions of {@code beta_fast} (default 32) and {@code beta_slow} (default 1) rotations over
 *       {@code original_max_position_embeddings} (default {@code max_position_embeddings}), floored and ceiled
 *       unless {@code truncate} is false; the attention factor is {@code attention_factor}, else
 *       {@code get_mscale(factor, mscale) / get_mscale(factor, mscale_all_dim)} when both are given and non-zero,
 *       else {@code get_mscale(factor) = 0.1 ln(factor) + 1}; it multiplies cos and sin. {@code factor} is the
 *       configured one, as in transformers since huggingface/transformers#40320 (earlier releases replaced it by
 *       {@code max_position_embeddings / original_max_position_embeddings} whenever the latter was given).</li>
 * </ul>
 * Any other type ({@code longrope}, {@code su}, {@code ntk}, {@code mrope}, ...), a missing or malformed field, or a
 * {@code partial_rotary_factor} other than 1 (jlama rotates whole heads) is a {@link ModelLoadException} naming
 * {@code config.json}, the field and the type: a model never runs with unscaled RoPE by accident.
 *
 * <p>Precision, following transformers' float32 tensors step by step: the exponents {@code 2j/dim}, the power,
 * the reciprocal and every step of the {@code llama3} and {@code yarn} blends are single-precision operations in
 * transformers' order (scalars rounded to float32 where torch rounds them); the angle is
 * {@code float(position) * inv_freq} in float32, and cos and sin are the float nearest to the cosine and sine of
 * that float angle, then multiplied by the float32 attention factor. The one step that is not bit-reproducible is
 * the power: here it is correctly rounded, while torch's float32 {@code pow} (libm's {@code powf} or SLEEF's
 * vector {@code pow}, within 1 ulp) may land one ulp away; numpy's float32 {@code power}, another such
 * implementation, lands one ulp away for 7 of the 32 exponents of {@code theta = 500000, dim = 64}. So
 * {@code inv_freq} is within 1 ulp of transformers' on any CPU, the angle within 1 ulp of the float32 product
 * plus that, and cos and sin within about 1 ulp of torch's float32 {@code cos}/{@code sin} of the same angle.
 *
 * {@snippet :
 * ModelFolder f = ModelFolder.open(Path.of("models/Llama-3.2-1B-Instruct"));
 * RopeScaling rope = RopeScaling.fromConfig(f.config(), f.path().resolve("config.json"));
 * rope.type();                     // "llama3"
 * rope.inverseFrequency(16);       // smoothed: between inv_freq and inv_freq / 32
 * rope.cos(4000, 16);              // the table entry jlama's attention reads for position 4000, frequency 16
 * }
 */
public final class RopeScaling {
    /** The RoPE types this class computes, as {@code config.json} names them. */
    public static final List<String> SUPPORTED_TYPES = List.of("default", "linear", "dynamic", "yarn", "llama3");

    /** transformers' default {@code rope_theta} for Llama, Qwen2 and Mistral configs. */
    static final double DEFAULT_THETA = 10000.0;

    private final Path source;
    private final String type;
    private final double theta;
    private final int headSize;
    private final float[] inverseFrequencies;
    private final double attentionFactor;

    private RopeScaling(Path source, String type, double theta, int headSize, float[] inverseFrequencies, double attentionFactor) {
        this.source = source;
        this.type = type;
        this.theta = theta;
        this.headSize = headSize;
        this.inverseFrequencies = inverseFrequencies;
        this.attentionFactor = attentionFactor;
    }

    /**
     * Reads the RoPE of a parsed {@code config.json}.
     *
     * @param config     the parsed file (e.g. {@code ModelFolder.config()})
     * @param configFile where it was read from, for error messages
     * @throws ModelLoadException naming the file, the field and the RoPE type when the type is not one of
     *                            {@link #SUPPORTED_TYPES} or a field it needs is missing or malformed
     */
    public static RopeScaling fromConfig(JsonNode config, Path configFile) {
        return new Reader(config, configFile).read();
    }

    /** The RoPE type: {@code default}, {@code linear}, {@code dynamic}, {@code yarn} or {@code llama3}. */
    public String type() {
        return type;
    }

    /** The base {@code rope_theta}. */
    public double theta() {
        return theta;
    }

    /** The rotated width, the attention head size; {@link #inverseFrequencies()} has half as many values. */
    public int headSize() {
        return headSize;
    }

    /** The {@code config.json} these values were read from. */
    public Path source() {
        return source;
    }

    /** The inverse frequencies {@code inv_freq[0 .. headSize/2)}, float32 as transformers computes them (a copy). */
    public float[] inverseFrequencies() {
        return inverseFrequencies.clone();
    }

    /** One inverse frequency. */
    public float inverseFrequency(int j) {
        return inverseFrequencies[j];
    }

    /** The factor transformers multiplies cos and sin by ({@code attention_scaling}): 1 except for {@code yarn}. */
    public double attentionFactor() {
        return attentionFactor;
    }

    /** The rotation angle of frequency {@code j} at {@code position}: {@code float(position) * inv_freq[j]} in float32. */
    public float angle(int position, int j) {
        return (float) position * inverseFrequencies[j];
    }

    /** {@code cos(angle) * attention factor}, as transformers' float32 {@code cos} tensor holds it. */
    public float cos(int position, int j) {
        return (float) Math.cos(angle(position, j)) * (float) attentionFactor;
    }

    /** {@code sin(angle) * attention factor}, as transformers' float32 {@code sin} tensor holds it. */
    public float sin(int position, int j) {
        return (float) Math.sin(angle(position, j)) * (float) attentionFactor;
    }

    @Override
    public String toString() {
        return "RopeScaling[" + type + ", theta " + theta + ", head " + headSize + ", attention factor " + attentionFactor + "]";
    }

    /** Reads and checks the fields; every message names the file, the field and the type. */
    private static final class Reader {
        private final JsonNode config;
        private final Path file;
        private final @Nullable JsonNode params;
        private final String paramsField;
        private String type = "default";

        Reader(JsonNode config, Path file) {
            this.config = config;
            this.file = file;
            JsonNode p = present(config, "rope_parameters");
            String field = "rope_parameters";
            if (p == null) {
                p = present(config, "rope_scaling");
                field = "rope_scaling";
            }
            if (p != null && !p.isObject()) throw fail(field + " must be a JSON object or null, got " + p);
            this.params = p;
            this.paramsField = field;
        }

        RopeScaling read() {
            if (params != null) {
                JsonNode t = present(params, "rope_type");
                String key = "rope_type";
                if (t == null) {
                    t = present(params, "type");
                    key = "type";
                }
                if (t != null) {
                    if (!t.isTextual()) throw fail(paramsField + "." + key + " must be a string, got " + t);
                    type = t.asText();
                }
                if (!SUPPORTED_TYPES.contains(type)) {
                    throw fail(paramsField + "." + key + " '" + type + "' is not supported: cna4j computes "
                            + String.join(", ", SUPPORTED_TYPES) + " RoPE and refuses to run the model with unscaled RoPE");
                }
            }
            double theta = params != null && present(params, "rope_theta") != null
                    ? positive(params, paramsField + ".rope_theta", "rope_theta")
                    : present(config, "rope_theta") != null ? positive(config, "rope_theta") : DEFAULT_THETA;
            int dim = headSize();
            checkWholeHeadRotated();
            float[] inv;
            double attention = 1.0;
            switch (type) {
                case "default" -> inv = defaultInverse(theta, dim);
                case "linear" -> {
                    float factor = (float) param("factor");
                    inv = defaultInverse(theta, dim);
                    for (int j = 0; j < inv.length; j++) inv[j] = inv[j] / factor;
                }
                case "dynamic" -> {
                    double factor = param("factor");
                    int maxPositions = positiveInt(config, "max_position_embeddings");
                    double seqLen = maxPositions; // transformers' value at every length up to max_position_embeddings
                    double base = theta * Math.pow((factor * seqLen / maxPositions) - (factor - 1), (double) dim / (dim - 2));
                    inv = defaultInverse(base, dim);
                }
                case "llama3" -> inv = llama3(theta, dim);
                case "yarn" -> {
                    Yarn y = yarn(theta, dim);
                    inv = y.inverse;
                    attention = y.attentionFactor;
                }
                default -> throw new IllegalStateException(type);
            }
            return new RopeScaling(file, type, theta, dim, inv, attention);
        }

        private int headSize() {
            JsonNode hd = present(config, "head_dim");
            int dim = hd != null ? positiveInt(config, "head_dim")
                    : positiveInt(config, "hidden_size") / positiveInt(config, "num_attention_heads");
            if (dim < 2 || dim % 2 != 0) {
                throw fail("the head size (" + (hd != null ? "head_dim" : "hidden_size / num_attention_heads") + ") is " + dim
                        + "; RoPE needs an even width");
            }
            return dim;
        }

        private void checkWholeHeadRotated() {
            for (JsonNode owner : params == null ? List.of(config) : List.of(config, params)) {
                JsonNode p = present(owner, "partial_rotary_factor");
                if (p == null) continue;
                String field = owner == config ? "partial_rotary_factor" : paramsField + ".partial_rotary_factor";
                if (!p.isNumber() || p.asDouble() != 1.0) {
                    throw fail(field + " is " + p + "; jlama rotates whole heads, so only 1.0 can be run");
                }
            }
        }

        /** transformers' {@code 1.0 / (base ** (arange(0, dim, 2).float() / dim))}: every step in float32. */
        static float[] defaultInverse(double base, int dim) {
            float b = (float) base; // torch rounds the Python base to float32 for pow(Scalar, float32 tensor)
            float[] inv = new float[dim / 2];
            for (int j = 0; j < inv.length; j++) {
                float exponent = (float) (2 * j) / (float) dim;
                float power = (float) Math.pow(b, exponent);
                inv[j] = 1f / power;
            }
            return inv;
        }

        /** transformers' {@code _compute_llama3_parameters}, in its float32 tensor operations and their order. */
        private float[] llama3(double theta, int dim) {
            double factor = param("factor");
            double lowFreqFactor = number("low_freq_factor");
            double highFreqFactor = number("high_freq_factor");
            int old = positiveInt(params(), paramsField + ".original_max_position_embeddings", "original_max_position_embeddings");
            if (!(highFreqFactor > lowFreqFactor)) {
                throw fail(paramsField + ".high_freq_factor (" + highFreqFactor + ") must be greater than low_freq_factor ("
                        + lowFreqFactor + ") for rope_type 'llama3'");
            }
            float[] inv = defaultInverse(theta, dim);
            float f = (float) factor;
            float lowWavelen = (float) (old / lowFreqFactor);   // Python floats, compared with a float32 tensor
            float highWavelen = (float) (old / highFreqFactor);
            float twoPi = (float) (2 * Math.PI);               // 2 * math.pi / t is t.reciprocal() * 2pi in torch
            float oldF = old;
            float lowF = (float) lowFreqFactor;
            float span = (float) (highFreqFactor - lowFreqFactor);
            for (int j = 0; j < inv.length; j++) {
                float wavelen = (1f / inv[j]) * twoPi;
                float scaled = wavelen > lowWavelen ? inv[j] / f : inv[j];
                if (!(wavelen < highWavelen) && !(wavelen > lowWavelen)) {
                    float smooth = ((1f / wavelen) * oldF - lowF) / span;
                    scaled = (1f - smooth) * scaled / f + smooth * scaled;
                }
                inv[j] = scaled;
            }
            return inv;
        }

        private record Yarn(float[] inverse, double attentionFactor) {}

        /** transformers' {@code _compute_yarn_parameters}, in its float32 tensor operations and their order. */
        private Yarn yarn(double theta, int dim) {
            double factor = param("factor");
            int original = present(params(), "original_max_position_embeddings") != null
                    ? positiveInt(params(), paramsField + ".original_max_position_embeddings", "original_max_position_embeddings")
                    : positiveInt(config, "max_position_embeddings");
            Double attention = optionalNumber("attention_factor");
            Double mscale = optionalNumber("mscale");
            Double mscaleAllDim = optionalNumber("mscale_all_dim");
            double betaFast = orDefault(optionalNumber("beta_fast"), 32);   // `get("beta_fast") or 32`: 0 counts as absent
            double betaSlow = orDefault(optionalNumber("beta_slow"), 1);
            JsonNode t = present(params(), "truncate");
            if (t != null && !t.isBoolean()) throw fail(paramsField + ".truncate must be true or false, got " + t + " (rope_type 'yarn')");
            boolean truncate = t == null || t.asBoolean();

            double attentionFactor;
            if (attention != null) {
                attentionFactor = attention;
            } else if (mscale != null && mscale != 0 && mscaleAllDim != null && mscaleAllDim != 0) {
                attentionFactor = mscale(factor, mscale) / mscale(factor, mscaleAllDim);
            } else {
                attentionFactor = mscale(factor, 1);
            }

            double low = correctionDim(betaFast, dim, theta, original);
            double high = correctionDim(betaSlow, dim, theta, original);
            if (truncate) {
                low = Math.floor(low);
                high = Math.ceil(high);
            }
            low = Math.max(low, 0);
            high = Math.min(high, dim - 1);
            if (low == high) high += 0.001; // transformers: "prevent singularity"

            int half = dim / 2;
            float b = (float) theta;
            float f = (float) factor;
            float lowF = (float) low;
            float rangeF = (float) (high - low);
            float[] inv = new float[half];
            for (int j = 0; j < half; j++) {
                float posFreq = (float) Math.pow(b, (float) (2 * j) / (float) dim);
                float extrapolation = 1f / posFreq;
                float interpolation = 1f / (f * posFreq);
                float ramp = Math.min(1f, Math.max(0f, ((float) j - lowF) / rangeF));
                float extrapolationFactor = 1f - ramp;
                inv[j] = interpolation * (1f - extrapolationFactor) + extrapolation * extrapolationFactor;
            }
            return new Yarn(inv, attentionFactor);
        }

        /** transformers' {@code get_mscale}. */
        private static double mscale(double scale, double mscale) {
            return scale <= 1 ? 1.0 : 0.1 * mscale * Math.log(scale) + 1.0;
        }

        /** transformers' {@code find_correction_dim}: the dimension that turns {@code rotations} times over {@code positions}. */
        private static double correctionDim(double rotations, int dim, double base, int positions) {
            return (dim * Math.log(positions / (rotations * 2 * Math.PI))) / (2 * Math.log(base));
        }

        private static double orDefault(@Nullable Double v, double fallback) {
            return v == null || v == 0 ? fallback : v;
        }

        private JsonNode params() {
            if (params == null) throw new IllegalStateException("no " + paramsField);
            return params;
        }

        /** A required positive number of the RoPE parameters ({@code factor}). */
        private double param(String key) {
            JsonNode n = present(params(), key);
            if (n == null) throw fail(paramsField + "." + key + " is missing (rope_type '" + type + "' needs it)");
            return positive(params(), paramsField + "." + key, key);
        }

        /** A required finite number of the RoPE parameters. */
        private double number(String key) {
            JsonNode n = present(params(), key);
            if (n == null) throw fail(paramsField + "." + key + " is missing (rope_type '" + type + "' needs it)");
            if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
                throw fail(paramsField + "." + key + " must be a number, got " + n + " (rope_type '" + type + "')");
            }
            return n.asDouble();
        }

        private @Nullable Double optionalNumber(String key) {
            return present(params(), key) == null ? null : number(key);
        }

        private double positive(JsonNode owner, String field) {
            return positive(owner, field, field);
        }

        private double positive(JsonNode owner, String field, String key) {
            JsonNode n = owner.get(key);
            if (n == null || !n.isNumber() || !(n.asDouble() > 0) || !Double.isFinite(n.asDouble())) {
                throw fail(field + " must be a positive number, got " + n + " (rope_type '" + type + "')");
            }
            return n.asDouble();
        }

        private int positiveInt(JsonNode owner, String field) {
            return positiveInt(owner, field, field);
        }

        private int positiveInt(JsonNode owner, String field, String key) {
            JsonNode n = owner.get(key);
            if (n == null || n.isNull()) throw fail(field + " is missing (rope_type '" + type + "' needs it)");
            if (!n.canConvertToInt() || n.asInt() <= 0 || (n.isFloatingPointNumber() && n.asDouble() != n.asInt())) {
                throw fail(field + " must be a positive integer, got " + n + " (rope_type '" + type + "')");
            }
            return n.asInt();
        }

        private ModelLoadException fail(String what) {
            return new ModelLoadException(file + ": " + what);
        }

        /** The field's value, or null when it is absent or JSON {@code null}. */
        private static @Nullable JsonNode present(JsonNode owner, String key) {
            JsonNode n = owner.get(key);
            return n == null || n.isNull() ? null : n;
        }
    }
}
