package io.cna4j.jlama;

import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import io.cna4j.jlama.text.HfTokenizer;
import io.cna4j.jlama.text.PromptEncoder;
import io.cna4j.jlama.text.TextStream;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.ForwardResult;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SteerableModel} over a jlama Llama, Qwen2 or Mistral model. Obtain one from {@link JlamaModels}.
 *
 * <p>Text becomes token ids through Hugging Face's own tokenizer and the model's chat template
 * ({@link PromptEncoder}), exactly as {@code apply_chat_template} and {@code tokenizer.decode} do in Python;
 * jlama runs the forward pass. Every call runs with a key/value cache and an interception context of its own, so concurrent calls
 * with different interventions do not see each other. (For models whose attention is not grouped-query,
 * jlama's attention shares scratch space between calls; such models run one call at a time.)
 *
 * <p>Interventions run inside jlama's MLP blocks ({@code InterceptedMlp}): {@link io.cna4j.model.NeuronMultipliers}
 * and {@link io.cna4j.model.AddAtHook} as bulk operations on jlama's tensors, custom interceptors by calling
 * them. The call's state reaches those blocks bound to the calling thread for each forward step (see
 * {@code CallContext}); jlama's own {@code tensorReducer} is left to jlama.
 *
 * <p>Checked on every call: the intervention fits the model ({@link Intervention#requireFits}); the
 * prompt fits the usable context, {@link ModelInfo#contextLength()}, which is jlama's context less the
 * positions its RoPE table cannot serve (see {@code usableContext} below); generation that reaches the end of the
 * context stops with {@link Generation.FinishReason#CONTEXT_FULL} and returns what it produced; a NaN or
 * infinite MLP activation, MLP output or logit throws {@link io.cna4j.model.NonFiniteActivationException}
 * where it first appears.
 *
 * {@snippet :
 * try (JlamaSteerableModel model = JlamaModels.load(Path.of("models/Qwen2.5-0.5B-Instruct"))) {
 *     ForwardResult r = model.forward(Prompt.chat("Hi"), ActivationInterceptor.NONE);
 *     Generation g = model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(32), ActivationInterceptor.NONE);
 * }
 * }
 */
public final class JlamaSteerableModel implements SteerableModel {
    /** jlama's prefill batch size ({@code jlama.max_batch_size}, default 256). */
    private static final int MAX_BATCH = Integer.getInteger("jlama.max_batch_size", 256);

    private final InterceptableLlama model;
    private final ModelInfo info;
    private final PromptEncoder encoder;
    private final HfTokenizer tokenizer;
    private final @Nullable ReentrantLock serial;
    private volatile boolean closed;

    JlamaSteerableModel(InterceptableLlama model, ModelInfo info, PromptEncoder encoder) {
        this.model = model;
        this.info = info;
        this.encoder = encoder;
        this.tokenizer = encoder.tokenizer();
        this.serial = model.getConfig().isGQA ? null : new ReentrantLock();
    }

    /** The jlama model underneath, for this package's tests of jlama's own limits. */
    InterceptableLlama jlama() {
        return model;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public boolean hasChatTemplate() {
        return encoder.hasChatTemplate();
    }

    @Override
    public String format(Prompt prompt) {
        ensureOpen();
        return encoder.format(prompt);
    }

    @Override
    public int[] tokenize(Prompt prompt) {
        ensureOpen();
        return encoder.encode(prompt);
    }

    @Override
    public int[] encode(String text) {
        ensureOpen();
        return tokenizer.encode(text, false);
    }

    @Override
    public String decode(int[] tokens) {
        ensureOpen();
        return tokenizer.decode(tokens, true);
    }

    /** The Hugging Face tokenizer this model reads text with. */
    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public ForwardResult forward(Prompt prompt, Intervention intervention) {
        return prefilled(prompt, intervention, (tokens, last, call) -> {
            try (AbstractTensor logits = model.makeDenseTensor(info.vocabularySize())) {
                model.sample(last.slice(last.shape().first() - 1), 0f, 0f, logits);
                FiniteCheck.requireLogits(logits, info.vocabularySize(), tokens.length - 1, call);
                return new ForwardResult(tokens, copyOf(logits));
            }
        });
    }

    /**
     * The prompt's prefill without the output head: no vocabulary-sized logits (see {@link SteerableModel#run}).
     * Only the last position's final norm (one row of hidden size) is computed and checked, so a NaN or
     * infinite final-norm weight still fails here, as it fails {@link #forward}; a non-finite value only in the
     * output head's weights is not seen. ({@link SteerableModel#runAll} loops over this: jlama's batched forward
     * pass runs the positions of one sequence, not several sequences, so there is nothing to batch across prompts.)
     */
    @Override
    public int[] run(Prompt prompt, Intervention intervention) {
        return prefilled(prompt, intervention, (tokens, last, call) -> {
            try (AbstractTensor normed = model.finalNorm(last.slice(last.shape().first() - 1))) {
                FiniteCheck.requireFinalNorm(normed, info.hiddenSize(), tokens.length - 1, call);
            }
            return tokens;
        });
    }

    /** What {@link #prefilled} does with a prompt's prefill: its tokens, the last batch's output rows, the call. */
    private interface AfterPrefill<T> {
        T apply(int[] tokens, AbstractTensor last, CallContext call);
    }

    /** Checks the call, prefills the prompt under the model's lock with a cache of its own, then runs {@code then}. */
    private <T> T prefilled(Prompt prompt, Intervention intervention, AfterPrefill<T> then) {
        Objects.requireNonNull(intervention, "intervention (use ActivationInterceptor.NONE for none)");
        intervention.requireFits(info);
        int[] tokens = checkedTokens(prompt, 0);
        return locked(() -> {
            CallContext call = new CallContext(intervention, info.layers(), tokens.length, prompt.text());
            try (KvBufferCache.KvBuffer kv = model.newKvBuffer();
                 AbstractTensor last = prefill(tokens, kv, call)) {
                return then.apply(tokens, last, call);
            }
        });
    }

    /** The values of a 1 x vocabulary logits tensor. */
    private float[] copyOf(AbstractTensor logits) {
        float[] out = new float[info.vocabularySize()];
        for (int i = 0; i < out.length; i++) out[i] = logits.get(0, i);
        return out;
    }

    /**
     * Teacher forcing (see {@link SteerableModel#logitsAt}): prefills the positions before {@code from} in
     * batches, then the rest as one batch whose rows give the logits.
     */
    @Override
    public float[][] logitsAt(int[] tokens, int from, Intervention intervention) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(intervention, "intervention (use ActivationInterceptor.NONE for none)");
        intervention.requireFits(info);
        if (from < 0 || from >= tokens.length) {
            throw new IllegalArgumentException("from must be in [0, " + tokens.length + "), got " + from);
        }
        if (tokens.length > info.contextLength()) {
            throw new IllegalArgumentException(tokens.length + " tokens do not fit " + info.name() + "'s context of "
                    + info.contextLength());
        }
        if (tokens.length - from > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " positions per call, asked for " + (tokens.length - from));
        }
        for (int t : tokens) {
            if (t < 0 || t >= info.vocabularySize()) throw new IllegalArgumentException("token id " + t + " is outside the vocabulary");
        }
        return locked(() -> {
            CallContext call = new CallContext(intervention, info.layers(), from + 1,
                    "teacher-forced sequence of " + tokens.length + " tokens");
            try (KvBufferCache.KvBuffer kv = model.newKvBuffer();
                 AbstractTensor logits = model.makeDenseTensor(info.vocabularySize())) {
                if (from > 0) prefill(Arrays.copyOf(tokens, from), kv, call).close();
                int[] rest = Arrays.copyOfRange(tokens, from, tokens.length);
                float[][] out = new float[rest.length][];
                try (AbstractTensor rows = forwardStep(model.embed(rest, from), from, kv, call)) {
                    for (int r = 0; r < rest.length; r++) {
                        model.sample(rows.slice(r), 0f, 0f, logits);
                        FiniteCheck.requireLogits(logits, info.vocabularySize(), from + r, call);
                        out[r] = copyOf(logits);
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Generation generate(Prompt prompt, GenerationOptions options, Intervention intervention) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(intervention, "intervention (use ActivationInterceptor.NONE for none)");
        intervention.requireFits(info);
        int[] tokens = checkedTokens(prompt, 1);
        return locked(() -> decode(tokens, options, new CallContext(intervention, info.layers(), tokens.length, prompt.text())));
    }

    private Generation decode(int[] promptTokens, GenerationOptions options, CallContext call) {
        Config c = model.getConfig();
        TextStream stream = new TextStream(tokenizer, true);
        Consumer<String> onToken = options.onToken();
        // never more than the context can hold: greedy(Integer.MAX_VALUE) allocates for the tokens that can exist
        int[] out = new int[Math.min(options.maxNewTokens(), info.contextLength() - promptTokens.length)];
        int n = 0;
        Generation.FinishReason reason = Generation.FinishReason.MAX_TOKENS;
        long t0 = System.nanoTime(), t1;
        try (KvBufferCache.KvBuffer kv = model.newKvBuffer();
             AbstractTensor logits = model.makeDenseTensor(info.vocabularySize())) {
            int next;
            try (AbstractTensor last = prefill(promptTokens, kv, call)) {
                next = model.sample(last.slice(last.shape().first() - 1), 0f, 0f, logits);
            }
            FiniteCheck.requireLogits(logits, info.vocabularySize(), promptTokens.length - 1, call);
            t1 = System.nanoTime();
            int pos = promptTokens.length;
            while (true) {
                if (options.stopAtEos() && c.eosTokens.contains(next)) {
                    reason = Generation.FinishReason.EOS;
                    break;
                }
                if (pos >= info.contextLength()) { // `next` would sit at position `pos`, outside the usable context
                    reason = Generation.FinishReason.CONTEXT_FULL;
                    break;
                }
                out[n++] = next;
                String piece = stream.next(next);
                if (onToken != null && !piece.isEmpty()) onToken.accept(piece);
                if (n == options.maxNewTokens()) break;
                try (AbstractTensor output = forwardStep(model.embed(next, pos), pos, kv, call)) {
                    next = model.sample(output, 0f, 0f, logits);
                }
                FiniteCheck.requireLogits(logits, info.vocabularySize(), pos, call);
                pos++;
            }
        }
        String rest = stream.finish();
        if (onToken != null && !rest.isEmpty()) onToken.accept(rest);
        long t2 = System.nanoTime();
        return new Generation(stream.text(), Arrays.copyOf(out, n), reason, promptTokens.length, t1 - t0, t2 - t1);
    }

    /** Runs the prompt in batches of {@link #MAX_BATCH} positions; returns the last batch's output rows. */
    private AbstractTensor prefill(int[] tokens, KvBufferCache.KvBuffer kv, CallContext call) {
        AbstractTensor out = null;
        for (int i = 0; i < tokens.length; i += MAX_BATCH) {
            if (out != null) out.close();
            int[] batch = Arrays.copyOfRange(tokens, i, Math.min(tokens.length, i + MAX_BATCH));
            out = forwardStep(model.embed(batch, i), i, kv, call);
        }
        return Objects.requireNonNull(out);
    }

    /**
     * One forward step whose first row sits at {@code stepStart}, with the call bound to this thread for the
     * MLP blocks (see {@link CallContext}). jlama's reducer argument stays jlama's: empty, as jlama passes it
     * for one JVM.
     */
    private AbstractTensor forwardStep(AbstractTensor embedding, int stepStart, KvBufferCache.KvBuffer kv, CallContext call) {
        return call.step(stepStart, () -> model.forward(embedding, stepStart, kv, Optional.empty()));
    }

    /**
     * The prompt's tokens, when they and {@code room} more positions fit in the usable context (forward
     * needs none, generation one for its first token).
     */
    private int[] checkedTokens(Prompt prompt, int room) {
        int[] tokens = tokenize(prompt);
        if (tokens.length + room > info.contextLength()) {
            throw new IllegalArgumentException("prompt is " + tokens.length + " tokens but " + info.name() + "'s context holds "
                    + info.contextLength() + (room > 0 ? " (prompt and generated tokens together)" : "")
                    + " (prompt starts: \"" + abbreviate(prompt.text()) + "\")");
        }
        return tokens;
    }

    /**
     * The positions jlama 0.8.4 can run for {@code c}: its context length, less the positions whose RoPE
     * rotation it would read past its table. Its attention indexes the table at
     * {@code (position + 2 * kvHead) * headSize / 2 + j} for key/value head {@code kvHead}, so the last
     * {@code 2 * (numberOfKeyValueHeads - 1)} positions would throw {@code ArrayIndexOutOfBoundsException}.
     *
     * @throws ModelLoadException when no position is usable
     */
    static int usableContext(Config c, java.nio.file.Path configFile) {
        int usable = c.contextLength;
        if (c.ropeFreqs.isPresent()) {
            int headPiece = c.headSize / 2;
            int tablePositions = headPiece == 0 ? 0 : c.ropeFreqs.get().length / headPiece;
            usable = Math.min(usable, tablePositions - 2 * (c.numberOfKeyValueHeads - 1));
        }
        if (usable < 2) {
            throw new ModelLoadException(configFile + ": max_position_embeddings " + c.contextLength + " leaves " + usable
                    + " usable positions with " + c.numberOfKeyValueHeads + " key/value heads (jlama's RoPE table reads "
                    + 2 * (c.numberOfKeyValueHeads - 1) + " positions ahead); at least 2 are needed");
        }
        return usable;
    }

    private <T> T locked(java.util.function.Supplier<T> work) {
        ensureOpen();
        if (serial == null) return work.get();
        serial.lock();
        try {
            return work.get();
        } finally {
            serial.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(info.name() + " is closed");
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        model.close();
        tokenizer.close();
        try {
            model.getWeights().close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + info.name() + "'s weights failed", e);
        }
    }

    @Override
    public String toString() {
        return "JlamaSteerableModel[" + info.name() + ", " + info.architecture() + ", " + info.layers() + " layers x "
                + info.neuronsPerLayer() + " neurons, eos " + model.getConfig().eosTokens.stream().map(String::valueOf)
                .collect(Collectors.joining(",")) + "]";
    }
}
