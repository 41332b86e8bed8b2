package io.cna4j.jlama;

import com.github.tjake.jlama.tensor.AbstractTensor;
import io.cna4j.model.ActivationInterceptor;
import java.util.List;
import java.util.function.Consumer;

/**
 * The state of one call (one request) that the intercepted MLP blocks read: the interceptor, where in
 * the sequence the current step starts, and the prompt (named when a value turns out NaN or infinite).
 *
 * <p>It travels through jlama's per-call {@code tensorReducer} argument of
 * {@code AbstractModel.forward(embedding, startPos, kvBuffer, tensorReducer)}, the only per-call channel
 * jlama's forward pass offers; so two threads that run the same loaded model never share it. jlama uses
 * that argument to reduce partial results across nodes in distributed inference, which cna4j does not
 * use; as a reducer this context does nothing, exactly as if none were given.
 */
final class CallContext implements Consumer<List<AbstractTensor>> {
    final ActivationInterceptor interceptor;
    final int promptLength;
    /** The prompt's text, for error messages. */
    final String promptText;
    final boolean observesActivation;
    final boolean observesOutput;
    int stepStart;

    CallContext(ActivationInterceptor interceptor, int promptLength, String promptText) {
        this.interceptor = interceptor;
        this.promptLength = promptLength;
        this.promptText = promptText;
        this.observesActivation = interceptor != ActivationInterceptor.NONE && interceptor.observesMlpActivation();
        this.observesOutput = interceptor != ActivationInterceptor.NONE && interceptor.observesMlpOutput();
    }

    /** A no-op: single-node inference has nothing to reduce. */
    @Override
    public void accept(List<AbstractTensor> partials) {}
}
