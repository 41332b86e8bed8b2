package io.cna4j.model;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A forward pass produced a NaN or infinite value, or an MLP output so large (2^56 or more) that the next norm
 * would overflow and silently zero the residual stream: from the weights (a NaN in a norm or a projection),
 * or from steering that overflows (a multiplier such as {@code 1e30f}, finite but far too large).
 * {@link SteerableModel#forward}, {@link SteerableModel#generate} and therefore circuit discovery throw it
 * where the value first appears, instead of returning NaN logits, a nonsense token or a normal-looking
 * circuit.
 *
 * <p>The message names the {@link #site()}, the layer, the position and the prompt, e.g.
 * {@code NaN in the MLP activation of layer 5 (neuron 17, blocks.5.mlp.hook_post[17]) at position 12 of prompt "How do I ..."}.
 *
 * {@snippet :
 * try {
 *     model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(32), circuit.steer(1e30f));
 * } catch (NonFiniteActivationException e) {
 *     System.err.println(e.getMessage());   // "infinite value Infinity in the MLP activation of layer 4 ..."
 *     int layer = e.layer();                // -1 for the logits
 * }
 * }
 */
public final class NonFiniteActivationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Where in the forward pass the value was found. */
    public enum Site {
        /** A layer's down-projection input, {@code act(gate(x)) * up(x)}, after the call's interceptor. */
        MLP_ACTIVATION("the MLP activation"),
        /** A layer's down-projection output, before it is added to the residual stream. */
        MLP_OUTPUT("the MLP output"),
        /** The output logits (after the final norm and the output head). */
        LOGITS("the logits"),
        /**
         * The final norm's output at the last position (before the output head): checked by
         * {@link SteerableModel#run}, which computes no logits.
         */
        FINAL_NORM("the final norm's output");

        private final String words;

        Site(String words) {
            this.words = words;
        }
    }

    private final Site site;
    private final int layer;
    private final int position;
    private final int index;
    private final float value;
    private final String prompt;

    /**
     * @param site     where the value was found
     * @param layer    its layer, or -1 for {@link Site#LOGITS} and {@link Site#FINAL_NORM}
     * @param position its absolute token position
     * @param index    its column: the neuron, hidden dimension or token id
     * @param value    the value (NaN, an infinity, or an overflowing MLP output)
     * @param prompt   the prompt's text (abbreviated in the message)
     */
    public NonFiniteActivationException(Site site, int layer, int position, int index, float value, String prompt) {
        this(site, layer, position, index, value, prompt, null, null);
    }

    private NonFiniteActivationException(Site site, int layer, int position, int index, float value, String prompt,
            @Nullable String context, @Nullable Throwable cause) {
        super(message(site, layer, position, index, value, prompt, context), cause);
        this.site = site;
        this.layer = layer;
        this.position = position;
        this.index = index;
        this.value = value;
        this.prompt = prompt;
    }

    /**
     * The same exception with {@code context} (e.g. {@code "positive prompt #3"}) added to its message; this one
     * becomes its cause.
     */
    public NonFiniteActivationException in(String context) {
        return new NonFiniteActivationException(site, layer, position, index, value, prompt, context, this);
    }

    private static String message(Site site, int layer, int position, int index, float value, String prompt,
            @Nullable String context) {
        String what = Float.isNaN(value) ? "NaN" : Float.isFinite(value) ? "overflowing value " + value
                + " (beyond 2^56: the next norm's float sum of squares would overflow)" : "infinite value " + value;
        String where = switch (site) {
            case MLP_ACTIVATION -> site.words + " of layer " + layer + " (neuron " + index + ", " + NeuronId.of(layer, index) + ")";
            case MLP_OUTPUT -> site.words + " of layer " + layer + " (hidden dimension " + index + ")";
            case LOGITS -> site.words + " (token " + index + ")";
            case FINAL_NORM -> site.words + " (hidden dimension " + index + ")";
        };
        String oneLine = prompt.replaceAll("\\s+", " ").strip();
        String shown = oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
        return String.format(Locale.ROOT, "%s in %s at position %d of %sprompt \"%s\" (a NaN or infinite weight, or steering "
                + "that overflows float range)", what, where, position, context == null ? "" : context + ", ", shown);
    }

    /** Where the value was found. */
    public Site site() {
        return site;
    }

    /** The layer, or -1 for {@link Site#LOGITS} and {@link Site#FINAL_NORM}. */
    public int layer() {
        return layer;
    }

    /** The absolute token position (BOS is 0). */
    public int position() {
        return position;
    }

    /** The column: neuron ({@link Site#MLP_ACTIVATION}), hidden dimension ({@link Site#MLP_OUTPUT}) or token id. */
    public int index() {
        return index;
    }

    /** The offending value: NaN, an infinity, or a finite MLP output of magnitude 2^56 or more. */
    public float value() {
        return value;
    }

    /** The prompt's text, in full. */
    public String prompt() {
        return prompt;
    }
}
