package io.cna4j.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.RMSNorm;
import com.github.tjake.jlama.model.TransformerBlock;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.tensor.AbstractTensor;
import java.util.stream.IntStream;

/**
 * Builds the transformer blocks of a Llama-layout model (Llama, Qwen2, Mistral) with {@link InterceptedMlp}
 * in place of jlama's {@code MLPBlock} and {@link KernelAttention} in place of its {@code CausalSelfAttention}
 * (both run jlama's own computation for {@link Kernels#JLAMA}); weights and norms are loaded exactly as jlama's
 * {@code LlamaModel} and {@code Qwen2Model} load them.
 */
final class Blocks {
    private Blocks() {}

    static TransformerBlock[] build(AbstractModel m, BlockHost host, WeightLoader weights, DType qType, boolean qkvBias,
                                    KernelAttention[] attentions, InterceptedMlp[] mlps) {
        Config c = m.getConfig();
        TransformerBlock[] blocks = new TransformerBlock[c.dctx().numberOfLayers];
        IntStream.range(c.dctx().layerStart, c.dctx().layerEnd).parallel().forEach(i -> {
            int relativeLayer = i - c.dctx().layerStart;
            String base = "model.layers." + i + ".";
            String attn = base + "self_attn.";
            AbstractTensor q = weights.load(attn + "q_proj.weight", c.dctx(), true, false).quantize(qType);
            AbstractTensor k = weights.load(attn + "k_proj.weight", c.dctx(), true, false).quantize(qType);
            AbstractTensor v = weights.load(attn + "v_proj.weight", c.dctx(), true, false).quantize(qType);
            AbstractTensor o = weights.load(attn + "o_proj.weight", c.dctx(), false, true).quantize(qType);
            KernelAttention attention = new KernelAttention(m, host, relativeLayer,
                    qkvBias ? weights.load(attn + "q_proj.bias").quantize(qType) : null,
                    qkvBias ? weights.load(attn + "k_proj.bias").quantize(qType) : null,
                    qkvBias ? weights.load(attn + "v_proj.bias").quantize(qType) : null,
                    q, k, v, o);
            attentions[relativeLayer] = attention;
            String mlp = base + "mlp.";
            InterceptedMlp ff = new InterceptedMlp(m, host, i, c.activationFunction,
                    weights.load(mlp + "gate_proj.weight", c.dctx(), true, false).quantize(qType),
                    weights.load(mlp + "down_proj.weight", c.dctx(), false, true).quantize(qType),
                    weights.load(mlp + "up_proj.weight", c.dctx(), true, false).quantize(qType));
            mlps[relativeLayer] = ff;
            blocks[relativeLayer] = new TransformerBlock(m, relativeLayer,
                    new RMSNorm(m, weights.load(base + "input_layernorm.weight").quantize(qType)),
                    attention,
                    new RMSNorm(m, weights.load(base + "post_attention_layernorm.weight").quantize(qType)),
                    ff);
        });
        return blocks;
    }
}
