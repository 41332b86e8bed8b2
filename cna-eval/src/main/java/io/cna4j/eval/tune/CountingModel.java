package io.cna4j.eval.tune;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.ForwardResult;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SteerableModel} that passes every call to another and counts the forward passes it costs: one per
 * {@link #forward} and per {@link #logitsAt} (one prefill, whatever its length), and for {@link #generate}
 * the prefill plus one pass per decoding step, that is {@code n + 1} for {@code n} tokens ended by end of
 * sequence or a full context and {@code n} for {@code n} tokens ended by the token limit. {@link #close} does not
 * close the wrapped model.
 *
 * {@snippet :
 * CountingModel counted = new CountingModel(model);
 * counted.generate(Prompt.chat("Hi"), GenerationOptions.greedy(8), ActivationInterceptor.NONE);
 * long passes = counted.passes();
 * }
 */
public final class CountingModel implements SteerableModel {
    private final SteerableModel model;
    private final AtomicLong passes = new AtomicLong();

    public CountingModel(SteerableModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Forward passes so far. */
    public long passes() {
        return passes.get();
    }

    /** The forward passes a generation cost (see the class comment). */
    public static long passesOf(Generation g) {
        int n = g.tokenCount();
        return g.finishReason() == Generation.FinishReason.MAX_TOKENS ? Math.max(1, n) : n + 1;
    }

    @Override
    public ModelInfo info() {
        return model.info();
    }

    @Override
    public boolean hasChatTemplate() {
        return model.hasChatTemplate();
    }

    @Override
    public String format(Prompt prompt) {
        return model.format(prompt);
    }

    @Override
    public int[] tokenize(Prompt prompt) {
        return model.tokenize(prompt);
    }

    @Override
    public int[] encode(String text) {
        return model.encode(text);
    }

    @Override
    public String decode(int[] tokens) {
        return model.decode(tokens);
    }

    @Override
    public ForwardResult forward(Prompt prompt, Intervention interceptor) {
        ForwardResult r = model.forward(prompt, interceptor);
        passes.incrementAndGet();
        return r;
    }

    @Override
    public int[] run(Prompt prompt, Intervention intervention) {
        int[] r = model.run(prompt, intervention);
        passes.incrementAndGet();
        return r;
    }

    @Override
    public float[][] logitsAt(int[] tokens, int from, Intervention interceptor) {
        float[][] r = model.logitsAt(tokens, from, interceptor);
        passes.incrementAndGet();
        return r;
    }

    @Override
    public Generation generate(Prompt prompt, GenerationOptions options, Intervention interceptor) {
        Generation g = model.generate(prompt, options, interceptor);
        passes.addAndGet(passesOf(g));
        return g;
    }

    @Override
    public void close() {}
}
