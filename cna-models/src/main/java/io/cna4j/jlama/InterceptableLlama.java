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
import java.util.Optional;

/**
 * jlama's {@link LlamaModel} with {@link InterceptedMlp} blocks: one class for the Llama, Qwen2 and Mistral
 * layouts, which differ only in biases on q, k and v (read from the weights: present or not) and in the
 * config class jlama parses.
 *
 * <p>It overrides jlama's public extension point {@code loadTransformerBlockWeights()} and exposes, to this
 * package only, the protected pieces a per-call forward pass needs.
 */
final class InterceptableLlama extends LlamaModel implements MlpHost {

    InterceptableLlama(Config config, WeightLoader weights, Tokenizer tokenizer,
                       DType workingType, DType workingQuantType, Optional<DType> modelQuantType, Kernels kernels) {
        super(InferenceType.FULL_GENERATION, config, weights, tokenizer, workingType, workingQuantType, modelQuantType);
        this.kernels = kernels;
        // jlama's constructor loads the blocks before this field is set: the MLPs read it back through kernels()
    }

    private Kernels kernels;

    @Override
    protected TransformerBlock[] loadTransformerBlockWeights() {
        boolean qkvBias = weights.isWeightPresent("model.layers." + c.dctx().layerStart + ".self_attn.q_proj.bias");
        return Blocks.build(this, this, weights, modelQType.orElse(modelDType), qkvBias);
    }

    @Override
    public ModelSupport.ModelType getModelType() {
        if (c instanceof Qwen2Config) return ModelSupport.ModelType.QWEN2;
        if (c instanceof MistralConfig) return ModelSupport.ModelType.MISTRAL;
        return ModelSupport.ModelType.LLAMA;
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
