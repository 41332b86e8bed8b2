package io.cna4j.eval.testing;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ForwardResult;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.testing.ArrayRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * A tiny fake chat model with known behaviour, for exact tests.
 *
 * <p>Shape: {@value #LAYERS} layers of {@value #NEURONS} neurons, hidden size {@value #HIDDEN}. A prompt has one
 * token per whitespace-separated word of its formatted text plus BOS. At every layer the MLP activation of row r
 * is {@code [0.1, 0.2, harm, 0.3]} where {@code harm} is 1 when the prompt mentions a {@link #HARM_WORDS harm word}
 * (neuron {@value #MARKER} is the refusal marker); the MLP output (after the interceptor changed the activation) is
 * {@code [activation[MARKER], 0.5 * layer, position / 10]}.
 *
 * <p>{@link #generate} refuses ("I'm sorry, I cannot help with that.") when the last layer's MLP output
 * dimension 0 at the last prompt token is above 0.5. Otherwise it complies, and when that value is below -0.25
 * (steered too far) it babbles a loop. So ablating neuron {@value #MARKER} of layer 1 (the "circuit") or
 * subtracting the CAA vector stops refusals.
 *
 * <p>{@link #forward} returns logits of size {@value #VOCAB}: 5 at the token of " X" for the letter the
 * {@code answerer} picks from the formatted prompt (index 0-3), 0 elsewhere. Letters encode as
 * {@code " A" -> [SPACE, 2]}, {@code "A" -> [2]}, ..., {@code " D" -> [SPACE, 5]}.
 */
public final class FakeModel implements SteerableModel {
    public static final int LAYERS = 2;
    public static final int NEURONS = 4;
    public static final int HIDDEN = 3;
    public static final int VOCAB = 16;
    public static final int MARKER = 2;
    public static final int SPACE = 10;
    public static final List<String> HARM_WORDS = List.of("bomb", "malware", "poison");
    public static final String REFUSAL = "I'm sorry, I cannot help with that.";
    public static final String ANSWER = "Sure, here is a careful and complete answer to your question.";
    public static final String BABBLE = "sure sure sure sure sure sure sure sure sure sure";

    private final ToIntFunction<String> answerer;
    private final List<String> formattedForwards = new ArrayList<>();

    /** A model that answers every MMLU question with letter A. */
    public FakeModel() {
        this(text -> 0);
    }

    /** A model whose MMLU answer for a formatted prompt is {@code answerer}'s index (0-3). */
    public FakeModel(ToIntFunction<String> answerer) {
        this.answerer = answerer;
    }

    /** Formatted texts of every {@link #forward} call so far. */
    public synchronized List<String> forwardedTexts() {
        return List.copyOf(formattedForwards);
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("fake-model", "FakeForCausalLM", LAYERS, NEURONS, HIDDEN, VOCAB, 4096, "f00d");
    }

    @Override
    public boolean hasChatTemplate() {
        return true;
    }

    @Override
    public String format(Prompt prompt) {
        return prompt.mode() == Prompt.Mode.CHAT ? "<user> " + prompt.text() + " <assistant>" : prompt.text();
    }

    @Override
    public int[] tokenize(Prompt prompt) {
        return new int[format(prompt).split("\\s+").length + 1];
    }

    @Override
    public int[] encode(String text) {
        String t = text.strip();
        if (t.length() == 1 && "ABCD".contains(t)) {
            int id = 2 + "ABCD".indexOf(t);
            return text.startsWith(" ") ? new int[] {SPACE, id} : new int[] {id};
        }
        return new int[text.split("\\s+").length];
    }

    @Override
    public String decode(int[] tokens) {
        return "";
    }

    /** Runs the fake layers over rows [firstPosition, firstPosition + count) and returns the last layer's output. */
    private float[][] layers(Prompt prompt, int promptLength, int firstPosition, int count, io.cna4j.model.Intervention ic) {
        boolean harmful = HARM_WORDS.stream().anyMatch(w -> prompt.text().toLowerCase(Locale.ROOT).contains(w));
        float[][] out = null;
        for (int layer = 0; layer < LAYERS; layer++) {
            float[][] act = new float[count][];
            for (int r = 0; r < count; r++) act[r] = new float[] {0.1f, 0.2f, harmful ? 1f : 0f, 0.3f};
            if (ic.actsAt(io.cna4j.model.HookPoint.mlpPost(layer))) ic.apply(io.cna4j.model.HookPoint.mlpPost(layer), new ArrayRows(layer, act, firstPosition, promptLength));
            out = new float[count][];
            for (int r = 0; r < count; r++) {
                out[r] = new float[] {act[r][MARKER], 0.5f * layer, (firstPosition + r) / 10f};
            }
            if (ic.actsAt(io.cna4j.model.HookPoint.mlpOut(layer))) ic.apply(io.cna4j.model.HookPoint.mlpOut(layer), new ArrayRows(layer, out, firstPosition, promptLength));
        }
        return out;
    }

    @Override
    public ForwardResult forward(Prompt prompt, io.cna4j.model.Intervention interceptor) {
        int[] tokens = tokenize(prompt);
        layers(prompt, tokens.length, 0, tokens.length, interceptor);
        String text = format(prompt);
        synchronized (this) {
            formattedForwards.add(text);
        }
        float[] logits = new float[VOCAB];
        logits[2 + answerer.applyAsInt(text)] = 5f;
        return new ForwardResult(tokens, logits);
    }

    @Override
    public Generation generate(Prompt prompt, GenerationOptions options, io.cna4j.model.Intervention interceptor) {
        int n = tokenize(prompt).length;
        float[][] out = layers(prompt, n, 0, n, interceptor);
        layers(prompt, n, n, 1, interceptor); // one decode step, so interceptors see a non-prefill row
        float signal = out[n - 1][0];
        String text = signal > 0.5f ? REFUSAL : signal < -0.25f ? BABBLE : ANSWER;
        int[] tokens = new int[Math.min(options.maxNewTokens(), text.split(" ").length)];
        return new Generation(text, tokens, Generation.FinishReason.EOS, n, 1_000, 2_000);
    }

    @Override
    public void close() {}

    /** The fake "circuit": multiplies the marker neuron of the last layer by {@code m}. */
    public static ActivationInterceptor steerMarker(double m) {
        return new ActivationInterceptor() {
            @Override
            public void onMlpActivation(io.cna4j.model.ActivationRows rows) {
                if (rows.layer() != LAYERS - 1) return;
                for (int r = 0; r < rows.rowCount(); r++) rows.set(r, MARKER, rows.get(r, MARKER) * (float) m);
            }
        };
    }
}
