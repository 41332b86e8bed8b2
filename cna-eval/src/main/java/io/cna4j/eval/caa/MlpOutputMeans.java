package io.cna4j.eval.caa;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;

/**
 * An interceptor that sums, in float64, each layer's MLP output (the down projection's output) at the last
 * prompt token, over every forward pass it is given to; it changes nothing.
 *
 * {@snippet :
 * MlpOutputMeans means = new MlpOutputMeans(model.info().layers(), model.info().hiddenSize());
 * for (String p : prompts.prompts()) model.forward(Prompt.chat(p), means);
 * double[][] mean = means.means();   // [layer][hidden]
 * }
 */
public final class MlpOutputMeans implements ActivationInterceptor {
    private final double[][] sums;
    private final long[] counts;
    private float[] row = new float[0];

    /** Sums for {@code layers} layers of width {@code hiddenSize}. */
    public MlpOutputMeans(int layers, int hiddenSize) {
        if (layers < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("layers and hiddenSize must be >= 1: " + layers + ", " + hiddenSize);
        }
        this.sums = new double[layers][hiddenSize];
        this.counts = new long[layers];
    }

    @Override
    public boolean observesMlpActivation() {
        return false;
    }

    @Override
    public boolean observesMlpOutput() {
        return true;
    }

    @Override
    public void onMlpOutput(ActivationRows output) {
        int layer = output.layer();
        if (layer < 0 || layer >= sums.length) {
            throw new IllegalStateException("layer " + layer + " outside 0.." + (sums.length - 1));
        }
        if (output.width() != sums[layer].length) {
            throw new IllegalStateException("MLP output width " + output.width() + " != hidden size " + sums[layer].length);
        }
        for (int r = 0; r < output.rowCount(); r++) {
            if (!output.isLastPromptToken(r)) continue;
            if (row.length != output.width()) row = new float[output.width()];
            output.copyRow(r, row);
            double[] sum = sums[layer];
            for (int c = 0; c < row.length; c++) sum[c] += row[c];
            counts[layer]++;
        }
    }

    /** Last-token rows seen at {@code layer}. */
    public long count(int layer) {
        return counts[layer];
    }

    /** The mean per layer; fails if a layer saw no row, or layers saw different numbers of rows. */
    public double[][] means() {
        double[][] means = new double[sums.length][];
        for (int l = 0; l < sums.length; l++) {
            if (counts[l] == 0) throw new IllegalStateException("no MLP output recorded at layer " + l);
            if (counts[l] != counts[0]) {
                throw new IllegalStateException("layer " + l + " saw " + counts[l] + " rows, layer 0 saw " + counts[0]);
            }
            means[l] = new double[sums[l].length];
            for (int c = 0; c < sums[l].length; c++) means[l][c] = sums[l][c] / counts[l];
        }
        return means;
    }
}
