package io.cna4j.eval.kl;

import io.cna4j.eval.data.PromptSet;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How much a steering interceptor changes a model's next-token distributions on a prompt set: the mean over
 * prompts of the mean over the first {@code N} generated positions of {@code KL(unsteered || steered)}.
 *
 * <p>Construction fixes the reference: each prompt's unsteered greedy continuation (at most {@code N - 1}
 * tokens, stopping at end of sequence) and the unsteered logits along it. {@link #measure} then runs the
 * prompt plus that continuation once under the interceptor ({@link SteerableModel#logitsAt}, teacher forcing),
 * so the steered distribution is compared with the unsteered one on the same context at every position:
 * position 0 is the prompt's last token (it predicts the first answer token), position j the j-th answer
 * token. Cost: per prompt one generation and one forward pass to build, one forward pass per measurement. The
 * reference keeps {@code prompts x N x vocabulary} floats.
 *
 * {@snippet :
 * NextTokenKl kl = NextTokenKl.of(model, PromptDatasets.alpaca(Path.of("alpaca.json"), 20), 8);
 * double ablated = kl.measure(circuit.steer(0f));      // 0 when steering changes nothing
 * }
 */
public final class NextTokenKl {
    /** Positions compared per prompt by default. */
    public static final int DEFAULT_POSITIONS = 8;

    private final SteerableModel model;
    private final List<int[]> sequences;
    private final List<Integer> from;
    private final List<float[][]> reference;
    private final int positions;

    private NextTokenKl(SteerableModel model, List<int[]> sequences, List<Integer> from, List<float[][]> reference,
            int positions) {
        this.model = model;
        this.sequences = sequences;
        this.from = from;
        this.reference = reference;
        this.positions = positions;
    }

    /**
     * Builds the reference on {@code prompts} (chat-formatted when the model has a template, raw otherwise).
     *
     * @throws IllegalArgumentException if {@code positions < 1}
     * @throws IllegalStateException if the model returns a non-finite logit (naming the prompt)
     */
    public static NextTokenKl of(SteerableModel model, PromptSet prompts, int positions) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompts, "prompts");
        if (positions < 1) throw new IllegalArgumentException("positions must be >= 1, got " + positions);
        Prompt.Mode mode = model.hasChatTemplate() ? Prompt.Mode.CHAT : Prompt.Mode.RAW;
        List<int[]> sequences = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        List<float[][]> reference = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            Prompt p = prompts.prompt(i, mode);
            int[] promptTokens = model.tokenize(p);
            int[] answer = new int[0];
            if (positions > 1) {
                Generation g = model.generate(p, GenerationOptions.greedy(positions - 1), ActivationInterceptor.NONE);
                answer = g.tokens();
            }
            int[] seq = Arrays.copyOf(promptTokens, promptTokens.length + answer.length);
            System.arraycopy(answer, 0, seq, promptTokens.length, answer.length);
            float[][] logits = model.logitsAt(seq, promptTokens.length - 1, ActivationInterceptor.NONE);
            requireFinite(logits, prompts, i, "unsteered");
            sequences.add(seq);
            from.add(promptTokens.length - 1);
            reference.add(logits);
        }
        return new NextTokenKl(model, List.copyOf(sequences), List.copyOf(from), List.copyOf(reference), positions);
    }

    /** Number of prompts. */
    public int prompts() {
        return sequences.size();
    }

    /** The most positions compared per prompt. */
    public int positions() {
        return positions;
    }

    /** Positions compared over all prompts (continuations that end early have fewer). */
    public int comparedPositions() {
        return reference.stream().mapToInt(r -> r.length).sum();
    }

    /**
     * The mean KL divergence of the unsteered from the steered next-token distributions, in nats: per prompt the
     * mean over its positions, then the mean over prompts. Runs one forward pass per prompt.
     *
     * @throws IllegalStateException if the steered model returns a NaN or infinite logit (naming the prompt)
     */
    public double measure(Intervention interceptor) {
        Objects.requireNonNull(interceptor, "interceptor");
        double total = 0;
        for (int i = 0; i < sequences.size(); i++) {
            float[][] steered = model.logitsAt(sequences.get(i), from.get(i), interceptor);
            float[][] ref = reference.get(i);
            if (steered.length != ref.length) {
                throw new IllegalStateException("model returned " + steered.length + " logit rows for prompt " + i + ", expected " + ref.length);
            }
            for (int r = 0; r < steered.length; r++) {
                for (float x : steered[r]) {
                    if (!Float.isFinite(x)) {
                        throw new IllegalStateException("steered model returned a non-finite logit (" + x + ") for prompt " + i
                                + " at answer position " + r);
                    }
                }
            }
            double sum = 0;
            for (int r = 0; r < ref.length; r++) sum += KlDivergence.between(ref[r], steered[r]);
            total += sum / ref.length;
        }
        return total / sequences.size();
    }

    private static void requireFinite(float[][] logits, PromptSet prompts, int i, String what) {
        for (int r = 0; r < logits.length; r++) {
            for (float x : logits[r]) {
                if (!Float.isFinite(x)) {
                    throw new IllegalStateException(what + " model returned a non-finite logit (" + x + ") for prompt " + i
                            + " of " + prompts.name() + " at answer position " + r);
                }
            }
        }
    }
}
