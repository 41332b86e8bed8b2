package io.cna4j.jlama;

import com.github.tjake.jlama.math.ActivationFunction;
import com.github.tjake.jlama.math.VectorMath;
import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.DistributedContext;
import com.github.tjake.jlama.model.functions.FeedForward;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import io.cna4j.jlama.kernels.KernelPool;
import io.cna4j.jlama.kernels.Projections;
import io.cna4j.jlama.kernels.Weights;
import io.cna4j.model.HookPoint;
import io.cna4j.model.NonFiniteActivationException.Site;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * A gated MLP ({@code down(act(gate(x)) * up(x))}) with two interception points.
 *
 * <p>With {@link Kernels#JLAMA} it performs exactly the tensor operations of jlama's {@code MLPBlock}, in the same
 * order, so that with no interceptor (or one that changes nothing) its output is bit-identical. With
 * {@link Kernels#CNA4J} the gate/up (fused: one pass over the input) and down projections of BF16 or F32 weights
 * run on {@link Projections}; the rest is unchanged. The differences from {@code MLPBlock}:
 * <ul>
 *   <li>after {@code act(gate(x)) * up(x)} and before the down projection it applies the call's
 *       {@link io.cna4j.model.Intervention} at {@code blocks.L.mlp.hook_post}; after the down projection, at
 *       {@code blocks.L.hook_mlp_out} (only where the intervention acts: see {@link CallContext}). Steering
 *       data ({@code NeuronMultipliers}, {@code AddAtHook}) runs as bulk operations on the tensor
 *       ({@link TensorRows#scaleColumns}, {@link TensorRows#addToRow}); custom interceptors are called;</li>
 *   <li>its scratch arrays are local to each call, where {@code MLPBlock} shares one array between calls,
 *       so concurrent requests on one model do not race;</li>
 *   <li>it checks the activations (before and after the interceptor) and the output for NaN and infinite
 *       values and the output also for overflow ({@link FiniteCheck}), and throws {@code NonFiniteActivationException} at the first layer that
 *       has one.</li>
 * </ul>
 */
final class InterceptedMlp implements FeedForward {
    private final AbstractModel model;
    private final BlockHost host;
    private final int layer;
    private final ActivationFunction.Type activation;
    private final AbstractTensor gate;
    private final AbstractTensor down;
    private final AbstractTensor up;
    /** What cna4j's kernels read (null where they cannot): jlama's tensors in place, or Q8_0 copies after {@link #quantizeWeights}. */
    private Weights @Nullable [] gateUp;
    private @Nullable Weights downWeights;

    InterceptedMlp(AbstractModel model, BlockHost host, int layer, ActivationFunction.Type activation,
                   AbstractTensor gate, AbstractTensor down, AbstractTensor up) {
        this.model = model;
        this.host = host;
        this.layer = layer;
        this.activation = activation;
        this.gate = gate;
        this.down = down;
        this.up = up;
        boolean own = Weights.supports(gate) && Weights.supports(up) && Weights.supports(down)
                && gate.shape().first() == model.getConfig().hiddenLength && down.shape().last() == model.getConfig().hiddenLength;
        this.gateUp = own ? new Weights[] {Weights.of(gate), Weights.of(up)} : null;
        this.downWeights = own ? Weights.of(down) : null;
    }

    @Override
    public AbstractTensor forward(AbstractTensor lnemb, Optional<Consumer<List<AbstractTensor>>> tensorReducer) {
        Config c = model.getConfig();
        DistributedContext dctx = c.dctx();
        int hiddenLength = c.hiddenLength;
        int batchSize = lnemb.shape().first();
        CallContext.Step step = CallContext.current();   // bound by the calling thread around this step; see CallContext
        try (AbstractTensor buf = model.makeTensor(batchSize, hiddenLength)) {
            boolean own = gateUp != null && host.kernels() == Kernels.CNA4J;
            if (own) {
                float[][] gu = Projections.multiply(lnemb, gateUp);   // one pass over the input for both
                gatedActivation(gu[0], gu[1]);
                Projections.write(gu[0], batchSize, hiddenLength, buf);
            } else {
                try (AbstractTensor buf2 = model.makeTensor(batchSize, hiddenLength)) {   // up(x), jlama's kernels only
                    AbstractTensor[] results = {buf, buf2};
                    AbstractTensor[] weights = {gate, up};
                    VectorMath.pchunk(dctx.hiddenSegmentStart, dctx.hiddenSegmentLength, (chunkStart, chunkSize) ->
                            TensorOperationsProvider.get().dotProductBatchChunk(results, lnemb, weights, 0, c.embeddingLength, chunkStart, chunkSize));
                    IntStream.range(dctx.hiddenSegmentStart, dctx.hiddenSegmentEnd).parallel().forEach(i -> {
                        for (int j = 0; j < batchSize; j++) {
                            buf.set(ActivationFunction.eval(activation, buf.get(j, i)), j, i);
                        }
                    });
                    TensorOperationsProvider.get().maccumulate(buf, buf2, 0, hiddenLength);
                }
            }

            if (step != null) {
                // checked before the intervention (which must not see NaN from the weights) and, when one acted,
                // after it (steering may overflow)
                FiniteCheck.require(buf, hiddenLength, Float.POSITIVE_INFINITY, Site.MLP_ACTIVATION, layer, step);
                HookPoint post = step.call().postHook(layer);
                if (post != null) {
                    step.call().intervention.apply(post, rows(buf, hiddenLength, step));
                    FiniteCheck.require(buf, hiddenLength, Float.POSITIVE_INFINITY, Site.MLP_ACTIVATION, layer, step);
                }
            }

            // cna4j's kernels read the float activations as they are; jlama's quantize them to its working type
            @Nullable AbstractTensor bufq = own ? null : host.quantizeActivations(buf);
            try {
                AbstractTensor result = model.makeTensor(batchSize, c.embeddingLength);
                if (own) {
                    Projections.multiply(buf, new Weights[] {downWeights}, new AbstractTensor[] {result});
                } else {
                    VectorMath.pchunk(0, c.embeddingLength, (chunkStart, chunkSize) ->
                            TensorOperationsProvider.get().dotProductChunk(result, Objects.requireNonNull(bufq), down,
                                    dctx.hiddenSegmentStart, dctx.hiddenSegmentLength, chunkStart, chunkSize));
                }
                tensorReducer.ifPresent(func -> func.accept(List.of(result)));   // jlama's own cross-shard reduce
                if (step != null) {
                    try {
                        HookPoint out = step.call().outHook(layer);
                        if (out != null) step.call().intervention.apply(out, rows(result, c.embeddingLength, step));
                        FiniteCheck.require(result, c.embeddingLength, FiniteCheck.OUTPUT_LIMIT, Site.MLP_OUTPUT, layer, step);
                    } catch (RuntimeException e) {
                        result.close();
                        throw e;
                    }
                }
                return result;
            } finally {
                if (bufq != null) bufq.close();
            }
        }
    }

    /**
     * Has cna4j's kernels read Q8_0 copies of gate, up and down ({@link Weights#quantizedQ8}: each that can be
     * quantized); called by the loader, before the model is used.
     */
    void quantizeWeights() {
        if (gateUp == null || downWeights == null) return;   // jlama's kernels run this MLP: nothing to quantize
        gateUp = new Weights[] {gateUp[0].quantizedQ8(), gateUp[1].quantizedQ8()};
        downWeights = downWeights.quantizedQ8();
    }

    /** Elements per task of {@link #gatedActivation}: decode's single row (one task) runs on the caller alone. */
    private static final int ACTIVATION_CHUNK = 4096;

    /**
     * {@code gate[i] = act(gate[i]) * up[i]}, in place, element by element with jlama's own activation function (the
     * same float operations as jlama's MLP), split over {@link KernelPool}.
     */
    private void gatedActivation(float[] gate, float[] up) {
        KernelPool.shared().run((gate.length + ACTIVATION_CHUNK - 1) / ACTIVATION_CHUNK, t -> {
            int end = Math.min(gate.length, (t + 1) * ACTIVATION_CHUNK);
            for (int i = t * ACTIVATION_CHUNK; i < end; i++) gate[i] = ActivationFunction.eval(activation, gate[i]) * up[i];
        });
    }

    private TensorRows rows(AbstractTensor tensor, int width, CallContext.Step step) {
        return new TensorRows(layer, tensor, width, step.stepStart(), step.call().promptLength);
    }
}
