package io.cna4j.circuit;

import io.cna4j.circuit.reduce.NeuronSums;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import io.cna4j.model.NonFiniteActivationException;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;

/**
 * Records every layer's down-projection input (or, for the CAA baseline, its output) at the last prompt
 * token, and nothing else, into one flat array laid out by {@link FlatNeuronIndex}. One instance per thread;
 * reused across prompts.
 */
final class LastTokenRecorder implements ActivationInterceptor {
    /** Which activation is recorded. */
    enum Site {
        /** The down projection's input, {@code blocks.L.mlp.hook_post}: one value per MLP neuron. */
        MLP_ACTIVATION(NonFiniteActivationException.Site.MLP_ACTIVATION),
        /** The down projection's output, {@code blocks.L.hook_mlp_out}: one value per hidden unit. */
        MLP_OUTPUT(NonFiniteActivationException.Site.MLP_OUTPUT);

        final NonFiniteActivationException.Site reported;

        Site(NonFiniteActivationException.Site reported) {
            this.reported = reported;
        }

        FlatNeuronIndex index(ModelInfo info) {
            return this == MLP_ACTIVATION ? FlatNeuronIndex.mlpNeurons(info) : FlatNeuronIndex.mlpOutputs(info);
        }
    }

    private final Site site;
    private final FlatNeuronIndex index;
    private final int layers;
    private final int width;
    private final float[] flat;
    private final float[] row;
    private final boolean[] seen;
    private String current = "";
    private String promptText = "";

    LastTokenRecorder(ModelInfo info) {
        this(info, Site.MLP_ACTIVATION);
    }

    LastTokenRecorder(ModelInfo info, Site site) {
        this.site = site;
        this.index = site.index(info);
        this.layers = index.layers();
        this.width = index.width();
        this.flat = new float[index.size()];
        this.row = new float[width];
        this.seen = new boolean[layers];
    }

    /**
     * Runs {@code prompt} through the model and returns its last-token activations (a view reused by the next
     * call).
     *
     * @param label names the prompt in error messages, e.g. {@code "positive prompt #3"}
     */
    float[] record(SteerableModel model, Prompt prompt, String label) {
        current = label + " \"" + abbreviate(prompt.text()) + "\"";
        promptText = prompt.text();
        java.util.Arrays.fill(seen, false);
        try {
            model.run(prompt, this);   // no logits: only the activations are read
        } catch (NonFiniteActivationException e) {
            throw e.in(label);
        }
        for (int l = 0; l < layers; l++) {
            if (!seen[l]) {
                throw new IllegalStateException("the model reported no last-token activation for layer " + l
                        + " on " + current);
            }
        }
        return flat;
    }

    @Override
    public boolean observesMlpActivation() {
        return site == Site.MLP_ACTIVATION;
    }

    @Override
    public boolean observesMlpOutput() {
        return site == Site.MLP_OUTPUT;
    }

    /** It copies the last prompt token's row and changes nothing: backends may gather that row on their device. */
    @Override
    public boolean readsLastPromptTokenOnly() {
        return true;
    }

    @Override
    public void onMlpActivation(ActivationRows rows) {
        if (site == Site.MLP_ACTIVATION) recordLastToken(rows);
    }

    @Override
    public void onMlpOutput(ActivationRows rows) {
        if (site == Site.MLP_OUTPUT) recordLastToken(rows);
    }

    private void recordLastToken(ActivationRows rows) {
        int layer = rows.layer();
        if (layer < 0 || layer >= layers) {
            throw new IllegalStateException("the model reported layer " + layer + " but has " + layers + " layers");
        }
        if (rows.width() != width) {
            throw new IllegalStateException("layer " + layer + " has " + rows.width()
                    + (site == Site.MLP_ACTIVATION ? " MLP neurons" : " MLP outputs") + ", but the model info says " + width);
        }
        for (int r = 0; r < rows.rowCount(); r++) {
            if (!rows.isLastPromptToken(r)) continue;
            rows.copyRow(r, row);
            int bad = NeuronSums.firstUnsupported(row);
            if (bad >= 0 && !Float.isFinite(row[bad])) {
                throw new NonFiniteActivationException(site.reported, layer,
                        rows.position(r), bad, row[bad], promptText);   // record() adds the prompt's label
            }
            if (bad >= 0) {
                String what = Float.isNaN(row[bad]) ? "NaN" : Float.isInfinite(row[bad]) ? "infinite" : "out-of-range";
                throw new IllegalStateException(what + " activation " + row[bad] + " at layer " + layer + " ("
                        + (site == Site.MLP_ACTIVATION ? NeuronId.of(layer, bad) : "blocks." + layer + ".hook_mlp_out[" + bad + "]")
                        + ") on " + current
                        + "; activations must be finite with |x| < 2^20");
            }
            System.arraycopy(row, 0, flat, index.offset(layer), width);
            seen[layer] = true;
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }
}
