package io.cna4j.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.CausalSelfAttention;
import com.github.tjake.jlama.model.DistributedContext;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.FloatBufferTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import io.cna4j.jlama.kernels.Gemm;
import io.cna4j.jlama.kernels.KernelPool;
import io.cna4j.jlama.kernels.Projections;
import io.cna4j.jlama.kernels.Weights;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.jspecify.annotations.Nullable;

/**
 * jlama's causal self-attention with its projections on cna4j's kernels when the model runs {@link Kernels#CNA4J}.
 *
 * <p>The kernel set is read from the {@link BlockHost} on every call (jlama builds the blocks before the model's
 * own fields are set). With {@link Kernels#JLAMA}, or when cna4j's kernels cannot run this layer (quantized or
 * sharded weights, a distributed context that splits the heads, a working type other than F32, attention logit
 * soft-capping), the call is jlama's own {@code super.forward}, bit for bit. Otherwise it computes what jlama's
 * does, in this order:
 * <ol>
 *   <li>q, k and v with one {@link Projections#multiply} call (the input is packed once for the three weights),
 *       then the q/k/v biases when the model has them (Qwen2);</li>
 *   <li>each position's key and value written into jlama's key/value cache
 *       ({@link KvBufferCache.KvBuffer#getKeyTensorForPosition}), and RoPE applied to the query and to the cached
 *       key exactly as jlama applies it: the rotate-half layout of Hugging Face's weights, and the entries of the
 *       model's {@code Config.ropeFreqs} table (the one {@code io.cna4j.jlama.rope.JlamaRopeTable} corrects for
 *       Llama 3) at jlama's indices, which start at row {@code position + 2 * kvHead} for key/value head
 *       {@code kvHead} (the reason the last positions of the context are not usable: see
 *       {@code JlamaSteerableModel.usableContext});</li>
 *   <li>causal attention, query head {@code h} reading key/value head {@code h / (heads / kvHeads)} (grouped-query
 *       attention), scores scaled by {@code 1 / sqrt(headSize)} (or the config's attention multiplier) and
 *       soft-maxed over the positions up to its own; one task per (row, head) on jlama's worker pool;</li>
 *   <li>the output projection through {@link Projections#multiply} of the mixed values as they are (on this path,
 *       BF16 or F32 weights with no quantization, the model keeps activations float32); then jlama's
 *       {@code tensorReducer}, if any.</li>
 * </ol>
 * Results differ from jlama's by float32 rounding order only (summation in the projections and the dot
 * products, {@link Math#exp} where jlama uses jafama's).
 *
 * {@snippet :
 * CausalSelfAttention attention = new KernelAttention(model, host, layer, null, null, null, q, k, v, o);
 * }
 */
final class KernelAttention extends CausalSelfAttention {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private final AbstractModel model;
    private final BlockHost host;
    private final int layer;
    private final Config c;
    private final int attentionLength;
    private final float scale;
    /** What cna4j's kernels read (null where they cannot): jlama's tensors in place, or Q8_0 copies after {@link #quantizeWeights}. */
    private Weights @Nullable [] qkv;
    private @Nullable Weights out;
    private final float @Nullable [] queryBias, keyBias, valueBias;

    /**
     * The attention of layer {@code layer} (relative to the model's first local layer, as jlama counts it).
     * The biases are null where the model has none; all three or none.
     */
    KernelAttention(AbstractModel model, BlockHost host, int layer,
                    @Nullable AbstractTensor queryBias, @Nullable AbstractTensor keyBias, @Nullable AbstractTensor valueBias,
                    AbstractTensor query, AbstractTensor key, AbstractTensor value, AbstractTensor output) {
        super(model, layer, Optional.ofNullable(queryBias), Optional.ofNullable(keyBias), Optional.ofNullable(valueBias),
                query, key, value, Optional.empty(), output);
        this.model = model;
        this.host = host;
        this.layer = layer;
        this.c = model.getConfig();
        this.attentionLength = c.numberOfHeads * c.headSize;
        this.scale = c.attentionMultiplier != null ? c.attentionMultiplier : (float) (1.0 / StrictMath.sqrt(c.headSize));
        boolean own = Weights.supports(query) && Weights.supports(key) && Weights.supports(value) && Weights.supports(output)
                && query.shape().first() == attentionLength && key.shape().first() == c.kvLength
                && value.shape().first() == c.kvLength && query.shape().last() == c.embeddingLength
                && key.shape().last() == c.embeddingLength && value.shape().last() == c.embeddingLength
                && output.shape().first() == c.embeddingLength && output.shape().last() == attentionLength
                && wholeHeads(c) && model.getWorkingDType() == DType.F32 && c.attnLogitSoftCapping == null
                && (queryBias == null) == (keyBias == null) && (keyBias == null) == (valueBias == null);
        this.qkv = own ? new Weights[] {Weights.of(query), Weights.of(key), Weights.of(value)} : null;
        this.out = own ? Weights.of(output) : null;
        this.queryBias = own ? bias(queryBias, attentionLength) : null;
        this.keyBias = own ? bias(keyBias, c.kvLength) : null;
        this.valueBias = own ? bias(valueBias, c.kvLength) : null;
    }

    /**
     * Has cna4j's kernels read Q8_0 copies of q, k, v and o ({@link Weights#quantizedQ8}: each that can be
     * quantized); called by the loader, before the model is used.
     */
    void quantizeWeights() {
        if (qkv == null || out == null) return;   // jlama's kernels run this layer: nothing to quantize
        qkv = new Weights[] {qkv[0].quantizedQ8(), qkv[1].quantizedQ8(), qkv[2].quantizedQ8()};
        out = out.quantizedQ8();
    }

    /** Whether this layer can run on cna4j's kernels (it does when the model's kernels are {@link Kernels#CNA4J}). */
    boolean ownKernels() {
        return qkv != null;
    }

    /** Whether this process holds every head (jlama's distributed context splits none). */
    private static boolean wholeHeads(Config c) {
        DistributedContext d = c.dctx();
        return d.headStart == 0 && d.headEnd == c.numberOfHeads
                && d.groupHeadStart == 0 && d.groupHeadEnd == c.numberOfKeyValueHeads
                && d.attentionSegmentStart == 0 && d.attentionSegmentLength == c.numberOfHeads * c.headSize
                && d.kvSegmentStart == 0 && d.kvSegmentLength == c.kvLength;
    }

    private static float @Nullable [] bias(@Nullable AbstractTensor t, int length) {
        if (t == null) return null;
        if (t.size() != length) throw new IllegalArgumentException("a bias of " + t.size() + " values for " + length + " outputs");
        float[] b = new float[length];
        boolean vector = t.dims() == 1;
        for (int j = 0; j < length; j++) b[j] = vector ? t.get(j) : t.get(0, j);
        return b;
    }

    @Override
    public AbstractTensor forward(AbstractTensor input, int startPosition, KvBufferCache.KvBuffer kvMem,
                                  Optional<Consumer<List<AbstractTensor>>> tensorReducer) {
        Weights[] projections = qkv;
        if (projections == null || out == null || host.kernels() != Kernels.CNA4J
                || (input.dType() != DType.F32 && input.dType() != DType.BF16)) {
            return super.forward(input, startPosition, kvMem, tensorReducer);
        }
        if (input.dims() != 2 || input.shape().last() != c.embeddingLength) {
            throw new IllegalArgumentException("attention input must be rows x " + c.embeddingLength + ", got " + input.shape());
        }
        int rows = input.shape().first();
        float[][] qkvRows = Projections.multiply(input, projections);   // one packing of the input for the three
        float[] queries = addBias(qkvRows[0], rows, attentionLength, queryBias);
        float[] keys = addBias(qkvRows[1], rows, c.kvLength, keyBias);
        float[] values = addBias(qkvRows[2], rows, c.kvLength, valueBias);
        for (int r = 0; r < rows; r++) {
            int position = startPosition + r;
            FloatBufferTensor key = f32(kvMem.getKeyTensorForPosition(layer, position));
            if (c.ropeFreqs.isPresent()) rotate(c.ropeFreqs.get(), position, queries, r * attentionLength, keys, r * c.kvLength);
            write(keys, r * c.kvLength, key, 0, c.kvLength);
            write(values, r * c.kvLength, f32(kvMem.getValTensorForPosition(layer, position)), 0, c.kvLength);
        }
        int last = startPosition + rows - 1;
        FloatBufferTensor[] keyPages = pages(kvMem.getKeyTensorsUptoPosition(layer, last));
        FloatBufferTensor[] valuePages = pages(kvMem.getValTensorsUptoPosition(layer, last));
        float[] mixed = new float[rows * attentionLength];
        int heads = c.numberOfHeads;
        KernelPool.shared().run(rows * heads,
                t -> attend(queries, keyPages, valuePages, t / heads, startPosition + t / heads, t % heads, mixed));
        // the mixed values go to the o projection as they are: on this path (cna4j's kernels, BF16 or F32 weights,
        // no quantization) the model's quantizeActivations is a plain float copy
        float[] outputRows = Projections.multiply(mixed, rows, attentionLength, new Weights[] {out})[0];
        AbstractTensor projected = model.makeDenseTensor(rows, c.embeddingLength);
        Projections.write(outputRows, rows, c.embeddingLength, projected);
        tensorReducer.ifPresent(reduce -> reduce.accept(List.of(projected)));   // jlama's own cross-shard reduce
        return projected;
    }

    /**
     * Rotates one row's queries ({@code queries[queryRow...]}) and keys ({@code keys[keyRow...]}) in place, as jlama
     * does: the pair ({@code i}, {@code i + headSize/2}) of each head by the table's {@code {cos, sin}} entry
     * {@code position * headSize/2 + kvHead * headSize + i}, where {@code kvHead} is the key/value head that the
     * query head reads (for a key, its own head).
     */
    private void rotate(float[][] table, int position, float[] queries, int queryRow, float[] keys, int keyRow) {
        int half = c.headSize / 2;
        int base = position * half;
        for (int h = 0; h < c.numberOfHeads; h++) {
            rotate(table, base + c.maybeMapToGroupHead(h) * c.headSize, queries, queryRow + h * c.headSize, half);
        }
        for (int g = 0; g < c.numberOfKeyValueHeads; g++) rotate(table, base + g * c.headSize, keys, keyRow + g * c.headSize, half);
    }

    private static void rotate(float[][] table, int entry, float[] x, int at, int half) {
        for (int i = 0; i < half; i++) {
            float[] f = table[entry + i];
            float x0 = x[at + i], x1 = x[at + i + half];
            x[at + i] = x0 * f[0] - x1 * f[1];
            x[at + i + half] = x0 * f[1] + x1 * f[0];
        }
    }

    /**
     * One query head of one row: scores against the cached keys of positions {@code 0..position}, softmax, and the
     * weighted sum of the cached values into {@code result}.
     */
    private void attend(float[] queries, FloatBufferTensor[] keys, FloatBufferTensor[] values, int r, int position, int h,
                        float[] result) {
        int size = c.headSize;
        int q = r * attentionLength + h * size;
        int kv = c.maybeMapToGroupHead(h) * size;
        int page = keys[0].shape().first();
        int n = position + 1;
        float[] w = new float[n];
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            w[t] = dot(queries, q, keys[t / page], t % page, kv, size) * scale;
            max = Math.max(max, w[t]);
        }
        float sum = 0f;
        for (int t = 0; t < n; t++) {
            w[t] = (float) Math.exp(w[t] - max);
            sum += w[t];
        }
        int bound = F.loopBound(size);
        for (int t = 0; t < n; t++) {
            float p = w[t] / sum;
            FloatBufferTensor vt = values[t / page];
            int vr = t % page;
            FloatVector pv = FloatVector.broadcast(F, p);
            int d = 0;
            for (; d < bound; d += F.length()) {
                vt.getVector(F, vr, kv + d).fma(pv, FloatVector.fromArray(F, result, q + d)).intoArray(result, q + d);
            }
            for (; d < size; d++) result[q + d] += p * vt.get(vr, kv + d);
        }
    }

    private static float dot(float[] a, int from, FloatBufferTensor b, int row, int column, int length) {
        int bound = F.loopBound(length);
        FloatVector acc = FloatVector.zero(F);
        int d = 0;
        for (; d < bound; d += F.length()) acc = FloatVector.fromArray(F, a, from + d).fma(b.getVector(F, row, column + d), acc);
        float s = Gemm.sumLanes(acc);   // not reduceLanes: the same bits interpreted or compiled
        for (; d < length; d++) s += a[from + d] * b.get(row, column + d);
        return s;
    }

    /** {@code bias} (when not null) added to every row of {@code x} ({@code rows} x {@code n}), in place. */
    private static float[] addBias(float[] x, int rows, int n, float @Nullable [] bias) {
        if (bias == null) return x;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) x[r * n + j] += bias[j];
        }
        return x;
    }

    /** Copies {@code from[at...at+n)} into row {@code row} of the F32 tensor {@code t}. */
    private static void write(float[] from, int at, FloatBufferTensor t, int row, int n) {
        int bound = F.loopBound(n), j = 0;
        for (; j < bound; j += F.length()) t.intoTensor(FloatVector.fromArray(F, from, at + j), row, j);
        for (; j < n; j++) t.set(from[at + j], row, j);
    }

    /** The cache's pages as F32 tensors (the working type, checked at construction). */
    private static FloatBufferTensor[] pages(AbstractTensor[] pages) {
        FloatBufferTensor[] out = new FloatBufferTensor[pages.length];
        for (int i = 0; i < pages.length; i++) out[i] = f32(pages[i]);
        return out;
    }

    /** {@code t} as the F32 tensor it is: jlama's working type, checked at construction, is F32. */
    private static FloatBufferTensor f32(AbstractTensor t) {
        if (!(t instanceof FloatBufferTensor f)) throw new IllegalStateException("expected an F32 tensor from jlama, got " + t.dType());
        return f;
    }
}
