package io.cna4j.jlama;

import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.TransformerBlock;
import com.github.tjake.jlama.model.llama.LlamaModel;
import com.github.tjake.jlama.model.mistral.MistralConfig;
import com.github.tjake.jlama.model.qwen2.Qwen2Config;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import io.cna4j.jlama.kernels.Projections;
import io.cna4j.jlama.kernels.Weights;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * jlama's {@link LlamaModel} with {@link InterceptedMlp} and {@link KernelAttention} blocks, and the output head of
 * {@link #sample} on cna4j's kernels for {@link Kernels#CNA4J}: one class for the Llama, Qwen2 and Mistral
 * layouts, which differ only in biases on q, k and v (read from the weights: present or not) and in the config
 * class jlama parses.
 *
 * <p>It overrides jlama's public extension point {@code loadTransformerBlockWeights()} and exposes, to this
 * package only, the protected pieces a per-call forward pass needs.
 */
final class InterceptableLlama extends LlamaModel implements BlockHost {

    InterceptableLlama(Config config, WeightLoader weights, Tokenizer tokenizer,
                       DType workingType, DType workingQuantType, Optional<DType> modelQuantType, Kernels kernels) {
        super(InferenceType.FULL_GENERATION, config, weights, tokenizer, workingType, workingQuantType, modelQuantType);
        this.kernels = kernels;
        // jlama's constructor loads the blocks before this field is set: the MLPs read it back through kernels()
        AbstractTensor w = sampleOutput.getOutputLogitsWeights();
        this.head = Weights.supports(w) && w.shape().first() == c.vocabularySize && w.shape().last() == c.embeddingLength
                ? Weights.of(w) : null;
    }

    private Kernels kernels;
    /**
     * The blocks' attention, filled by {@link #loadTransformerBlockWeights}, which jlama's constructor calls before
     * this class's field initialisers would run: hence none.
     */
    private KernelAttention[] attentions;
    /** The blocks' MLPs, filled likewise. */
    private InterceptedMlp[] mlps;
    /** The output head for cna4j's kernels; null where they cannot read it (quantized) */
    private @Nullable Weights head;

    @Override
    protected TransformerBlock[] loadTransformerBlockWeights() {
        boolean qkvBias = weights.isWeightPresent("model.layers." + c.dctx().layerStart + ".self_attn.q_proj.bias");
        attentions = new KernelAttention[c.dctx().numberOfLayers];
        mlps = new InterceptedMlp[c.dctx().numberOfLayers];
        return Blocks.build(this, this, weights, modelQType.orElse(modelDType), qkvBias, attentions, mlps);
    }

    @Override
    public ModelSupport.ModelType getModelType() {
        if (c instanceof Qwen2Config) return ModelSupport.ModelType.QWEN2;
        if (c instanceof MistralConfig) return ModelSupport.ModelType.MISTRAL;
        return ModelSupport.ModelType.LLAMA;
    }

    /**
     * jlama's {@code sample}, with the output head on cna4j's kernels for {@link Kernels#CNA4J} at temperature 0
     * (greedy, the only temperature cna4j samples at): the final norm of {@code output} (one row), the logits by
     * {@link Projections#multiply} into {@code logits}, divided by the config's logit multiplier if it has one, and
     * the index of the first largest logit, as jlama's argmax breaks ties. Other cases are jlama's own.
     */
    @Override
    public int sample(AbstractTensor output, float temperature, float uniformSample, AbstractTensor logits) {
        Weights w = head;
        if (w == null || kernels != Kernels.CNA4J || temperature != 0f || c.finalLogitSoftCapping != null
                || output.dims() != 2 || output.shape().first() != 1 || logits.dType() != DType.F32
                || logits.dims() != 2 || logits.shape().first() != 1 || logits.shape().last() != c.vocabularySize) {
            return super.sample(output, temperature, uniformSample, logits);
        }
        try (AbstractTensor normed = sampleOutput.getOutputLayerNorm().forward(output)) {
            Projections.multiply(normed, new Weights[] {w}, new AbstractTensor[] {logits});
        }
        if (c.logitMultiplier != null) {
            TensorOperationsProvider.get().scale(1.0f / c.logitMultiplier, logits, 0, c.vocabularySize);
        }
        return firstMax(logits, c.vocabularySize);
    }

    /**
     * The index of the first largest of the {@code n} values of a 1 x n tensor, as jlama's {@code sample} finds it at
     * temperature 0; {@link Integer#MIN_VALUE} when none is larger than negative infinity (all NaN, say), as jlama's.
     */
    static int firstMax(AbstractTensor logits, int n) {
        int best = Integer.MIN_VALUE;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = logits.get(0, i);
            if (v > max) {
                best = i;
                max = v;
            }
        }
        return best;
    }

    /**
     * Has cna4j's kernels read Q8_0 copies of every projection and of the output head that they run and that can be
     * quantized ({@link Weights#quantizedQ8}); jlama's tensors (and so the token embeddings, which a tied head shares)
     * stay as loaded. Called by the loader, before the model is used.
     */
    void quantizeWeightsToQ8() {
        for (KernelAttention a : attentions) a.quantizeWeights();
        for (InterceptedMlp m : mlps) m.quantizeWeights();
        Weights w = head;
        if (w != null) head = w.quantizedQ8();
    }

    /** The weights cna4j's kernels read for the output head (null where jlama's head runs), for tests. */
    @Nullable Weights head() {
        return head;
    }

    /**
     * Whether every attention layer and the output head run on cna4j's kernels (the MLPs decide per layer as well:
     * see {@link InterceptedMlp}): true only for {@link Kernels#CNA4J} and weights they can read.
     */
    boolean attentionAndHeadOnOwnKernels() {
        return kernels == Kernels.CNA4J && head != null && Arrays.stream(attentions).allMatch(KernelAttention::ownKernels);
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    /**
     * With cna4j's kernels on BF16 or F32 weights the activations stay float32 (copied, as jlama's base model does):
     * the kernels widen BF16 weights in registers, so rounding the activations to BF16 first would cost a conversion
     * pass before every projection and lose precision. Otherwise jlama's own choice.
     */
    @Override
    protected AbstractTensor maybeQuantize(AbstractTensor t) {
        boolean floatKernels = kernels == Kernels.CNA4J && modelQType.isEmpty()
                && (modelDType == DType.BF16 || modelDType == DType.F32);
        if (!floatKernels || t.dType() != DType.F32) return super.maybeQuantize(t);
        AbstractTensor copy = c.tensorCache.get(t.dType(), t.shape());
        copy.copyFrom(t, 0, 0, Math.toIntExact(t.size()));
        return copy;
    }

    @Override
    public AbstractTensor quantizeActivations(AbstractTensor activations) {
        return maybeQuantize(activations);
    }

    /** Embeddings of {@code tokens} at positions {@code startPos...}. */
    AbstractTensor embed(int[] tokens, int startPos) {
        return embedInput.batchInputsToEmbeddings(tokens, startPos);
    }

    /** Embedding of one token at {@code position}. */
    AbstractTensor embed(int token, int position) {
        return embedInput.inputTokenToEmbedding(token, position);
    }

    /** The final norm of {@code rows} (what the output head would read), without the output head. */
    AbstractTensor finalNorm(AbstractTensor rows) {
        return sampleOutput.getOutputLayerNorm().forward(rows);
    }

    /** A key/value cache of its own for one call. */
    KvBufferCache.KvBuffer newKvBuffer() {
        return kvBufferCache.getEphemeralKvBuffer();
    }
}
