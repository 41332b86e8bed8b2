package io.cna4j.circuit;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ForwardResult;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.testing.ArrayRows;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A model whose last-prompt-token MLP activations are a known function of the prompt text:
 * {@code activations.apply(text)[layer][neuron]}. Earlier prompt positions hold {@link #DECOY} everywhere
 * (so recording the wrong row shows up at once); generated steps hold the last-token values plus the step
 * number. {@link #generate} returns, per step, the sum of every activation after interception, so the
 * effect of steering is visible in the text.
 */
final class FakeModel implements SteerableModel {
    static final float DECOY = 9_999f;
    static final int PROMPT_POSITIONS = 3;

    private final ModelInfo info;
    private final Function<String, float[][]> activations;
    final AtomicInteger forwards = new AtomicInteger();

    FakeModel(int layers, int width, Function<String, float[][]> activations) {
        this(new ModelInfo("fake-" + layers + "x" + width, "FakeForCausalLM", layers, width, 16, 100, 512,
                "fp-" + layers + "x" + width), activations);
    }

    FakeModel(ModelInfo info, Function<String, float[][]> activations) {
        this.info = info;
        this.activations = activations;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public boolean hasChatTemplate() {
        return true;
    }

    @Override
    public String format(Prompt prompt) {
        return prompt.mode() == Prompt.Mode.CHAT ? "<user>" + prompt.text() + "</user><assistant>" : prompt.text();
    }

    @Override
    public int[] tokenize(Prompt prompt) {
        return new int[PROMPT_POSITIONS];
    }

    @Override
    public int[] encode(String text) {
        return new int[] {1};
    }

    @Override
    public String decode(int[] tokens) {
        return "";
    }

    float[][] lastToken(String text) {
        float[][] a = activations.apply(text);
        if (a.length != info.layers()) throw new AssertionError("generator gave " + a.length + " layers");
        return a;
    }

    @Override
    public ForwardResult forward(Prompt prompt, io.cna4j.model.Intervention interceptor) {
        forwards.incrementAndGet();
        prefill(prompt, interceptor);
        return new ForwardResult(new int[PROMPT_POSITIONS], new float[info.vocabularySize()]);
    }

    private double prefill(Prompt prompt, io.cna4j.model.Intervention interceptor) {
        float[][] last = lastToken(prompt.text());
        double sum = 0;
        for (int l = 0; l < info.layers(); l++) {
            float[][] rows = new float[PROMPT_POSITIONS][];
            for (int p = 0; p < PROMPT_POSITIONS - 1; p++) {
                rows[p] = new float[info.neuronsPerLayer()];
                java.util.Arrays.fill(rows[p], DECOY);
            }
            rows[PROMPT_POSITIONS - 1] = last[l].clone();
            Rows view = new Rows(l, 0, PROMPT_POSITIONS, rows);
            if (interceptor.actsAt(io.cna4j.model.HookPoint.mlpPost(l))) interceptor.apply(io.cna4j.model.HookPoint.mlpPost(l), view);
            sum += view.sum();
        }
        return sum;
    }

    @Override
    public Generation generate(Prompt prompt, GenerationOptions options, io.cna4j.model.Intervention interceptor) {
        StringBuilder text = new StringBuilder();
        text.append(prefill(prompt, interceptor));
        float[][] last = lastToken(prompt.text());
        for (int step = 1; step < options.maxNewTokens(); step++) {
            double sum = 0;
            for (int l = 0; l < info.layers(); l++) {
                float[] row = last[l].clone();
                for (int j = 0; j < row.length; j++) row[j] += step;
                Rows view = new Rows(l, PROMPT_POSITIONS - 1 + step, PROMPT_POSITIONS, new float[][] {row});
                if (interceptor.actsAt(io.cna4j.model.HookPoint.mlpPost(l))) interceptor.apply(io.cna4j.model.HookPoint.mlpPost(l), view);
                sum += view.sum();
            }
            text.append(' ').append(sum);
        }
        return new Generation(text.toString(), new int[options.maxNewTokens()], Generation.FinishReason.MAX_TOKENS,
                PROMPT_POSITIONS, 0, 0);
    }

    @Override
    public void close() {}

    /** {@link ArrayRows} whose matrix tests read back as {@code rows}. */
    static final class Rows extends ArrayRows {
        final float[][] rows;

        Rows(int layer, int firstPosition, int promptLength, float[][] rows) {
            super(layer, rows, firstPosition, promptLength);
            this.rows = rows;
        }
    }
}
