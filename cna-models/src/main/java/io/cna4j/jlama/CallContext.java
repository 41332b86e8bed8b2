package io.cna4j.jlama;

import io.cna4j.model.HookPoint;
import io.cna4j.model.Intervention;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The state of one call (one request) that the intercepted MLP blocks read: the intervention, which hooks it
 * acts at (asked once per call, so layers it does not touch cost one array read), and the prompt (named when
 * a value turns out NaN or infinite).
 *
 * <h2>How it reaches the MLP blocks</h2>
 * jlama's forward pass, {@code AbstractModel.forward(embedding, startPos, kvBuffer, tensorReducer)}, has no
 * per-call argument of ours; its {@code tensorReducer} is jlama-net's cross-shard combine callback, and
 * cna4j passes it through untouched (empty for one JVM, as jlama itself does) so jlama's distributed mode is
 * not ruled out. Instead, each forward step is run inside {@link #step}, which binds an immutable
 * {@link Step} (this context and the step's first position) to the calling thread for the duration of the
 * step; {@link InterceptedMlp} reads it with {@link #current()}. This is sound because jlama runs the layers
 * of one forward step one after the other on the calling thread ({@code AbstractModel.forward} loops over
 * {@code TransformerBlock.forward}, which calls the {@code FeedForward} block directly); only the matrix
 * products inside a block fan out to {@code VectorMath.pchunk}'s pool, and the MLP block reads the context
 * before and applies the intervention after them, on the calling thread. Two threads running the same model
 * each see their own step. A thread-local rather than a {@code ScopedValue} because cna4j targets Java 21,
 * where scoped values are a preview API; the binding is always undone in a {@code finally}, and the previous
 * binding restored, so a nested call (a step run from inside an interceptor) cannot leak.
 */
final class CallContext {
    private static final ThreadLocal<@Nullable Step> CURRENT = new ThreadLocal<>();

    final Intervention intervention;
    final int promptLength;
    /** The prompt's text, for error messages. */
    final String promptText;
    private final HookPoint[] post;   // per layer: the hook where the intervention acts, or null
    private final HookPoint[] out;

    CallContext(Intervention intervention, int layers, int promptLength, String promptText) {
        this.intervention = intervention;
        this.promptLength = promptLength;
        this.promptText = promptText;
        this.post = new HookPoint[layers];
        this.out = new HookPoint[layers];
        for (int l = 0; l < layers; l++) {
            HookPoint p = HookPoint.mlpPost(l), o = HookPoint.mlpOut(l);
            if (intervention.actsAt(p)) post[l] = p;
            if (intervention.actsAt(o)) out[l] = o;
        }
    }

    /** The hook {@code blocks.layer.mlp.hook_post} when the intervention acts there, else null. */
    @Nullable HookPoint postHook(int layer) {
        return layer < post.length ? post[layer] : null;
    }

    /** The hook {@code blocks.layer.hook_mlp_out} when the intervention acts there, else null. */
    @Nullable HookPoint outHook(int layer) {
        return layer < out.length ? out[layer] : null;
    }

    /**
     * Runs one forward step of this call, whose first row sits at position {@code stepStart}, with the step
     * bound to the calling thread.
     */
    <T> T step(int stepStart, Supplier<T> work) {
        Step previous = CURRENT.get();
        CURRENT.set(new Step(this, stepStart));
        try {
            return work.get();
        } finally {
            if (previous == null) CURRENT.remove();
            else CURRENT.set(previous);
        }
    }

    /** The step running on this thread, or null outside {@link #step} (e.g. jlama's own generate). */
    static @Nullable Step current() {
        return CURRENT.get();
    }

    /**
     * One forward step of a call: immutable, bound to the calling thread by {@link CallContext#step}.
     *
     * @param call      the call
     * @param stepStart the absolute position of the step's first row
     */
    record Step(CallContext call, int stepStart) {}
}
