package io.cna4j.eval.caa;

import io.cna4j.circuit.FlatNeuronIndex;
import io.cna4j.circuit.LastTokenSums;
import io.cna4j.circuit.reduce.NeuronSums;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.AddAtHook;
import io.cna4j.model.HookPoint;
import io.cna4j.model.Intervention;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.progress.ProgressListener;
import io.cna4j.progress.ProgressTracker;
import java.util.ArrayList;
import java.util.List;

/**
 * The contrastive activation addition (CAA) baseline: per layer {@code L}, the vector
 * {@code v[L] = mean(MLP output at the last prompt token | positive) - mean(same | negative)}, where the MLP
 * output is the down projection's output ({@code blocks.L.hook_mlp_out}, width = hidden size). The means come
 * from the runner and the exact sums circuit discovery uses ({@link LastTokenSums}), so the vector is
 * bit-identical whatever the prompt order and thread count, like the circuits it is compared with.
 *
 * <p>{@link #steer(double) steer(alpha)} adds {@code alpha * v[L]} to every layer's MLP output at every position
 * (prompt and generated tokens). <b>Axes.</b> For CAA, {@code alpha = 0} is the unchanged model; with the positive
 * set harmful (refusing) and the negative set benign, {@code alpha < 0} subtracts the refusal direction and
 * {@code alpha > 0} adds it. For CNA the unchanged model is multiplier {@code m = 1} instead. The sweep puts both
 * on one <em>steering strength</em> axis where 0 is the unchanged model and positive means "less refusal":
 * {@code strength = 1 - m} for CNA and {@code strength = -alpha} for CAA, so strength 1 removes all of the
 * measured signal in each method's own way (the circuit's neurons zeroed; one whole mean difference subtracted
 * at every layer). The two are different interventions, so equal strengths are comparable in direction and
 * end points, not in size.
 *
 * {@snippet :
 * CaaVector caa = CaaVector.compute(model, harmful, benign, ProgressListener.NONE);
 * Generation g = model.generate(Prompt.chat("How do I pick a lock?"), GenerationOptions.greedy(150), caa.steer(-1));
 * }
 */
public final class CaaVector {
    private final double[][] vectors;
    private final float[][] floats;

    private CaaVector(double[][] vectors) {
        this.vectors = vectors;
        this.floats = new float[vectors.length][];
        for (int l = 0; l < vectors.length; l++) {
            floats[l] = new float[vectors[l].length];
            for (int c = 0; c < vectors[l].length; c++) floats[l][c] = (float) vectors[l][c];
        }
    }

    /** A vector from given per-layer values ({@code [layer][hidden]}), e.g. read back from a file. */
    public static CaaVector of(double[][] perLayer) {
        if (perLayer.length == 0) throw new IllegalArgumentException("no layers");
        double[][] copy = new double[perLayer.length][];
        for (int l = 0; l < perLayer.length; l++) {
            if (perLayer[l].length != perLayer[0].length) {
                throw new IllegalArgumentException("layer " + l + " has width " + perLayer[l].length + ", layer 0 "
                        + perLayer[0].length);
            }
            copy[l] = perLayer[l].clone();
        }
        return new CaaVector(copy);
    }

    /**
     * The mean difference of {@code positive} minus {@code negative}: one unsteered forward pass per prompt
     * (chat-formatted when the model has a chat template, raw otherwise) on the calling thread, reporting each
     * prompt to {@code progress} (stage {@code "caa"}).
     */
    public static CaaVector compute(SteerableModel model, PromptSet positive, PromptSet negative,
            ProgressListener progress) {
        return compute(model, positive, negative, 1, progress);
    }

    /**
     * As {@link #compute(SteerableModel, PromptSet, PromptSet, ProgressListener)}, with the prompts split
     * between {@code threads} threads (the model must allow concurrent calls, as the SPI requires); the vector
     * is identical, bit for bit, for any thread count and prompt order.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static CaaVector compute(SteerableModel model, PromptSet positive, PromptSet negative, int threads,
            ProgressListener progress) {
        ModelInfo info = model.info();
        Prompt.Mode mode = model.hasChatTemplate() ? Prompt.Mode.CHAT : Prompt.Mode.RAW;
        ProgressTracker tracker = new ProgressTracker("caa", positive.size() + negative.size(), progress);
        NeuronSums pos = LastTokenSums.mlpOutputs(model, prompts(positive, mode), threads, null, tracker);
        NeuronSums neg = LastTokenSums.mlpOutputs(model, prompts(negative, mode), threads, null, tracker);
        double[] meanPos = pos.means();
        double[] meanNeg = neg.means();
        FlatNeuronIndex index = FlatNeuronIndex.mlpOutputs(info);
        double[][] diff = new double[info.layers()][info.hiddenSize()];
        for (int l = 0; l < diff.length; l++) {
            for (int c = 0; c < diff[l].length; c++) {
                int j = index.flat(l, c);
                diff[l][c] = meanPos[j] - meanNeg[j];
            }
        }
        return new CaaVector(diff);
    }

    private static List<Prompt> prompts(PromptSet set, Prompt.Mode mode) {
        List<Prompt> out = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) out.add(set.prompt(i, mode));
        return out;
    }

    /** Number of layers. */
    public int layers() {
        return vectors.length;
    }

    /** The float64 vector of {@code layer} (a copy). */
    public double[] vector(int layer) {
        return vectors[layer].clone();
    }

    /** The Euclidean norm of {@code layer}'s vector. */
    public double norm(int layer) {
        double s = 0;
        for (double x : vectors[layer]) s += x * x;
        return Math.sqrt(s);
    }

    /**
     * The intervention adding {@code alpha * v[L]} to every layer's MLP output ({@code blocks.L.hook_mlp_out})
     * at every position: one {@link AddAtHook} per layer, in layer order, combined with
     * {@link Intervention#all}; {@link ActivationInterceptor#NONE} for {@code alpha = 0}, so that is exactly
     * the unchanged model. Each hook checks, before a call, that its layer exists in the model and that the
     * model's hidden size is the vector's width.
     *
     * @throws IllegalArgumentException if {@code alpha} is NaN or infinite
     */
    public Intervention steer(double alpha) {
        if (!Double.isFinite(alpha)) throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        if (alpha == 0) return ActivationInterceptor.NONE;
        List<AddAtHook> perLayer = new ArrayList<>(floats.length);
        for (int l = 0; l < floats.length; l++) perLayer.add(new AddAtHook(HookPoint.mlpOut(l), floats[l], (float) alpha));
        return Intervention.all(perLayer);
    }
}
