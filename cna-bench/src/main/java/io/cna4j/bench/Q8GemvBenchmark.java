package io.cna4j.bench;

import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.tensor.AbstractTensor;
import io.cna4j.jlama.kernels.KernelPool;
import io.cna4j.jlama.kernels.Projections;
import io.cna4j.jlama.kernels.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Would Q8_0 weights (int8, one float scale per block of 32, as llama.cpp's Q8_0) decode faster than BF16 on
 * cna4j's kernels? Issue 14 asks for them "if the Vector API's widening multiply keeps it faster than BF16". This
 * measures that before building them: one decoded token's matrix-vector products over every projection of the
 * SmolLM2-135M-shaped BF16 bench model (30 layers' q, k, v, o, gate, up and down, and the 49,152-row head:
 * 134.5 M weights), as the model runs them ({@link Projections#multiply} on {@link KernelPool}), against the same
 * products over those weights quantized to Q8_0 by a prototype kernel written here for the measurement only (the
 * same 1 x 4 strided tile, the same pool and task split; int8 widened with {@code B2F}, each block's partial sum
 * scaled by one fused multiply-add).
 *
 * <ul>
 *   <li>{@code placement = memory}: all weights, streamed from DRAM once per operation (decode's case).</li>
 *   <li>{@code placement = cache}: layer 0's q projection (576 x 576) 200 times, resident in L2: the kernels' compute
 *       speed without memory traffic (prefill is compute-bound).</li>
 * </ul>
 * {@code weights} counts the weights multiplied, per second.
 *
 * {@snippet lang=shell :
 * ./cna4j bench Q8GemvBenchmark
 * }
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_API, BenchJvm.NATIVE_ACCESS, BenchJvm.FORCE_PANAMA, BenchJvm.HEAP})
public class Q8GemvBenchmark {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Weights per Q8_0 block. */
    private static final int BLOCK = 32;
    private static final int TASK_COLUMNS = 64;
    private static final int CACHE_REPEATS = 200;

    /** Where the weights come from: {@code memory} (all of them) or {@code cache} (one small matrix, repeated). */
    @Param({"memory", "cache"})
    public String placement;

    /**
     * {@code bf16}: cna4j's kernel on the model's weights; {@code q8_0}: the prototype on their quantized copy;
     * {@code q8_0-cna4j}: cna4j's kernel on its own Q8_0 copy ({@link Weights#q8}, as
     * {@code JlamaOptions.Quantization.Q8_0} makes it).
     */
    @Param({"bf16", "q8_0", "q8_0-cna4j"})
    public String format;

    /** cna4j's weights (BF16, or its Q8_0 copies). */
    private final List<Weights> own = new ArrayList<>();
    private final List<Q8Matrix> q8 = new ArrayList<>();
    private float[][] inputs;
    private long weightsPerOp;

    /** Weights multiplied; per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        /** Weights multiplied in this iteration. */
        public long weights;

        /** JMH does not reset counters itself. */
        @Setup(Level.Iteration)
        public void reset() {
            weights = 0;
        }
    }

    /** A Q8_0 matrix: {@code n} rows x {@code k} int8 values, row-major, and a scale per block of 32 of a row. */
    record Q8Matrix(int n, int k, byte[] values, float[] scales) {
        static Q8Matrix of(AbstractTensor t) {
            int n = t.shape().first(), k = t.shape().last();
            if (k % BLOCK != 0) throw new IllegalArgumentException("k = " + k + " is not a multiple of " + BLOCK);
            byte[] v = new byte[n * k];
            float[] s = new float[n * (k / BLOCK)];
            float[] row = new float[k];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < k; j++) row[j] = t.get(r, j);
                for (int b = 0; b < k / BLOCK; b++) {
                    float max = 0;
                    for (int j = b * BLOCK; j < (b + 1) * BLOCK; j++) max = Math.max(max, Math.abs(row[j]));
                    float scale = max / 127;
                    s[r * (k / BLOCK) + b] = scale;
                    for (int j = b * BLOCK; j < (b + 1) * BLOCK; j++) v[r * k + j] = (byte) (scale == 0 ? 0 : Math.round(row[j] / scale));
                }
            }
            return new Q8Matrix(n, k, v, s);
        }
    }

    @Setup(Level.Trial)
    public void load() {
        if (FloatVector.SPECIES_PREFERRED.length() != 16) {
            throw new IllegalStateException("the Q8_0 prototype is written for 512-bit vectors; this JVM prefers " + FloatVector.SPECIES_PREFERRED.vectorBitSize());
        }
        WeightLoader loader = SafeTensorSupport.loadWeights(BenchModels.folder(ModelShape.SMOL135M).toFile());
        List<String> names = new ArrayList<>();
        if (placement.equals("cache")) {
            for (int i = 0; i < CACHE_REPEATS; i++) names.add("model.layers.0.self_attn.q_proj.weight");
        } else {
            for (int l = 0; loader.isWeightPresent("model.layers." + l + ".mlp.gate_proj.weight"); l++) {
                for (String p : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")) {
                    names.add("model.layers." + l + "." + p + ".weight");
                }
            }
            names.add(loader.isWeightPresent("lm_head.weight") ? "lm_head.weight" : "model.embed_tokens.weight");
        }
        java.util.Map<String, Object> made = new java.util.HashMap<>();
        for (String name : names) {
            Object m = made.computeIfAbsent(name, x -> {
                AbstractTensor t = loader.load(x);
                return switch (format) {
                    case "bf16" -> Weights.of(t);
                    case "q8_0-cna4j" -> Weights.q8(t);
                    default -> Q8Matrix.of(t);
                };
            });
            if (m instanceof Weights w) own.add(w);
            else q8.add((Q8Matrix) m);
        }
        int count = Math.max(own.size(), q8.size());
        inputs = new float[count][];
        java.util.Random random = new java.util.Random(14);
        for (int i = 0; i < count; i++) {
            int k = q8.isEmpty() ? own.get(i).columns() : q8.get(i).k();
            long n = q8.isEmpty() ? own.get(i).rows() : q8.get(i).n();
            inputs[i] = new float[k];
            for (int j = 0; j < k; j++) inputs[i][j] = (float) random.nextGaussian();
            weightsPerOp += n * k;
        }
    }

    /** One pass: every matrix times its input vector. */
    @Benchmark
    public float products(Counters counters) {
        float check = 0;
        if (q8.isEmpty()) {
            for (int i = 0; i < own.size(); i++) check += Projections.multiply(inputs[i], 1, inputs[i].length, new Weights[] {own.get(i)})[0][0];
        } else {
            for (int i = 0; i < q8.size(); i++) check += multiply(q8.get(i), inputs[i])[0];
        }
        counters.weights += weightsPerOp;
        return check;
    }

    /** {@code m * x}: tasks of 64 rows on cna4j's pool, like {@link Projections}. */
    private static float[] multiply(Q8Matrix m, float[] x) {
        float[] out = new float[m.n()];
        int tasks = (m.n() + TASK_COLUMNS - 1) / TASK_COLUMNS;
        KernelPool.shared().run(tasks, t -> rows(m, x, out, t * TASK_COLUMNS, Math.min(m.n(), (t + 1) * TASK_COLUMNS)));
        return out;
    }

    /** Rows {@code [from, to)}: a 1 x 4 tile over rows c, c + q, c + 2q, c + 3q, then one row at a time. */
    private static void rows(Q8Matrix m, float[] x, float[] out, int from, int to) {
        int k = m.k(), blocks = k / BLOCK, q = (to - from) / 4;
        byte[] v = m.values();
        float[] s = m.scales();
        for (int c = from; c < from + q; c++) {
            int w0 = c * k, w1 = w0 + q * k, w2 = w1 + q * k, w3 = w2 + q * k;
            int s0 = c * blocks, s1 = s0 + q * blocks, s2 = s1 + q * blocks, s3 = s2 + q * blocks;
            FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
            for (int b = 0; b < blocks; b++) {
                int o = b * BLOCK;
                FloatVector lo = FloatVector.fromArray(F, x, o), hi = FloatVector.fromArray(F, x, o + 16);
                FloatVector p0 = lo.mul((FloatVector) ByteVector.fromArray(B, v, w0 + o).convertShape(VectorOperators.B2F, F, 0));
                FloatVector p1 = lo.mul((FloatVector) ByteVector.fromArray(B, v, w1 + o).convertShape(VectorOperators.B2F, F, 0));
                FloatVector p2 = lo.mul((FloatVector) ByteVector.fromArray(B, v, w2 + o).convertShape(VectorOperators.B2F, F, 0));
                FloatVector p3 = lo.mul((FloatVector) ByteVector.fromArray(B, v, w3 + o).convertShape(VectorOperators.B2F, F, 0));
                p0 = hi.fma((FloatVector) ByteVector.fromArray(B, v, w0 + o + 16).convertShape(VectorOperators.B2F, F, 0), p0);
                p1 = hi.fma((FloatVector) ByteVector.fromArray(B, v, w1 + o + 16).convertShape(VectorOperators.B2F, F, 0), p1);
                p2 = hi.fma((FloatVector) ByteVector.fromArray(B, v, w2 + o + 16).convertShape(VectorOperators.B2F, F, 0), p2);
                p3 = hi.fma((FloatVector) ByteVector.fromArray(B, v, w3 + o + 16).convertShape(VectorOperators.B2F, F, 0), p3);
                c0 = p0.fma(FloatVector.broadcast(F, s[s0 + b]), c0);
                c1 = p1.fma(FloatVector.broadcast(F, s[s1 + b]), c1);
                c2 = p2.fma(FloatVector.broadcast(F, s[s2 + b]), c2);
                c3 = p3.fma(FloatVector.broadcast(F, s[s3 + b]), c3);
            }
            out[c] = c0.reduceLanes(VectorOperators.ADD);
            out[c + q] = c1.reduceLanes(VectorOperators.ADD);
            out[c + 2 * q] = c2.reduceLanes(VectorOperators.ADD);
            out[c + 3 * q] = c3.reduceLanes(VectorOperators.ADD);
        }
        for (int c = from + 4 * q; c < to; c++) {
            float sum = 0;
            for (int j = 0; j < k; j++) sum += x[j] * v[c * k + j] * s[c * blocks + j / BLOCK];
            out[c] = sum;
        }
    }
}
