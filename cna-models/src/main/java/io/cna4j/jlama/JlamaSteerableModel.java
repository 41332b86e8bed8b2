package io.cna4j.jlama;

import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import io.cna4j.model.ActivationInterceptor;
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
 * <p>Every call runs with a key/value cache and an interception context of its own, so concurrent calls
 * with different interceptors do not see each other. (For models whose attention is not grouped-query,
 * jlama's attention shares scratch space between calls; such models run one call at a time.)
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
    private final boolean chatTemplate;
    private final @Nullable ReentrantLock serial;
    private volatile boolean closed;

    JlamaSteerableModel(InterceptableLlama model, ModelInfo info, boolean chatTemplate) {
        this.model = model;
        this.info = info;
        this.chatTemplate = chatTemplate && model.promptSupport().isPresent();
        this.serial = model.getConfig().isGQA ? null : new ReentrantLock();
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public boolean hasChatTemplate() {
        return chatTemplate;
    }

    @Override
    public String format(Prompt prompt) {
        return context(prompt).getPrompt();
    }

    @Override
    public int[] tokenize(Prompt prompt) {
        return model.encodePrompt(context(prompt));
    }

    @Override
    public int[] encode(String text) {
        return Arrays.stream(model.getTokenizer().encode(text)).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public String decode(int[] tokens) {
        Tokenizer t = model.getTokenizer();
        StringBuilder sb = new StringBuilder();
        for (int id : tokens) {
            if (!t.getModel().isSpecialToken(id)) sb.append(t.decode(id));
        }
        return sb.toString();
    }

    @Override
    public ForwardResult forward(Prompt prompt, ActivationInterceptor interceptor) {
        Objects.requireNonNull(interceptor, "interceptor (use ActivationInterceptor.NONE for none)");
        int[] tokens = checkedTokens(prompt);
        return locked(() -> {
            CallContext call = new CallContext(interceptor, tokens.length);
            try (KvBufferCache.KvBuffer kv = model.newKvBuffer();
                 AbstractTensor last = prefill(tokens, kv, call);
                 AbstractTensor logits = model.makeDenseTensor(info.vocabularySize())) {
                model.sample(last.slice(last.shape().first() - 1), 0f, 0f, logits);
                float[] out = new float[info.vocabularySize()];
                for (int i = 0; i < out.length; i++) out[i] = logits.get(0, i);
                return new ForwardResult(tokens, out);
            }
        });
    }

    /**
     * Teacher forcing (see {@link SteerableModel#logitsAt}): prefills the positions before {@code from} in
     * batches, then the rest as one batch whose rows give the logits.
     */
    @Override
    public float[][] logitsAt(int[] tokens, int from, ActivationInterceptor interceptor) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(interceptor, "interceptor (use ActivationInterceptor.NONE for none)");
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
            CallContext call = new CallContext(interceptor, from + 1);
            try (KvBufferCache.KvBuffer kv = model.newKvBuffer();
                 AbstractTensor logits = model.makeDenseTensor(info.vocabularySize())) {
                if (from > 0) prefill(Arrays.copyOf(tokens, from), kv, call).close();
                int[] rest = Arrays.copyOfRange(tokens, from, tokens.length);
                call.stepStart = from;
                float[][] out = new float[rest.length][];
                try (AbstractTensor rows = model.forward(model.embed(rest, from), from, kv, Optional.of(call))) {
                    for (int r = 0; r < rest.length; r++) {
                        model.sample(rows.slice(r), 0f, 0f, logits);
                        float[] row = new float[info.vocabularySize()];
                        for (int i = 0; i < row.length; i++) row[i] = logits.get(0, i);
                        out[r] = row;
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Generation generate(Prompt prompt, GenerationOptions options, ActivationInterceptor interceptor) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(interceptor, "interceptor (use ActivationInterceptor.NONE for none)");
        int[] tokens = checkedTokens(prompt);
        return locked(() -> decode(tokens, options, new CallContext(interceptor, tokens.length)));
    }

    private Generation decode(int[] promptTokens, GenerationOptions options, CallContext call) {
        Config c = model.getConfig();
        Tokenizer tokenizer = model.getTokenizer();
        Consumer<String> onToken = options.onToken();
        int[] out = new int[options.maxNewTokens()];
        int n = 0;
        StringBuilder text = new StringBuilder();
        Generation.FinishReason reason = Generation.FinishReason.MAX_TOKENS;
        long t0 = System.nanoTime(), t1;
        try (KvBufferCache.KvBuffer kv = model.newKvBuffer();
             AbstractTensor logits = model.makeDenseTensor(info.vocabularySize())) {
            int next;
            try (AbstractTensor last = prefill(promptTokens, kv, call)) {
                next = model.sample(last.slice(last.shape().first() - 1), 0f, 0f, logits);
            }
            t1 = System.nanoTime();
            int pos = promptTokens.length;
            while (true) {
                if (options.stopAtEos() && c.eosTokens.contains(next)) {
                    reason = Generation.FinishReason.EOS;
                    break;
                }
                if (pos >= c.contextLength) { // `next` would sit at position `pos`, outside the context
                    reason = Generation.FinishReason.CONTEXT_FULL;
                    break;
                }
                out[n++] = next;
                if (!tokenizer.getModel().isSpecialToken(next)) {
                    String piece = tokenizer.decode(next);
                    text.append(piece);
                    if (onToken != null) onToken.accept(piece);
                }
                if (n == out.length) break;
                call.stepStart = pos;
                try (AbstractTensor output = model.forward(model.embed(next, pos), pos, kv, Optional.of(call))) {
                    next = model.sample(output, 0f, 0f, logits);
                }
                pos++;
            }
        }
        long t2 = System.nanoTime();
        return new Generation(text.toString(), Arrays.copyOf(out, n), reason, promptTokens.length, t1 - t0, t2 - t1);
    }

    /** Runs the prompt in batches of {@link #MAX_BATCH} positions; returns the last batch's output rows. */
    private AbstractTensor prefill(int[] tokens, KvBufferCache.KvBuffer kv, CallContext call) {
        AbstractTensor out = null;
        for (int i = 0; i < tokens.length; i += MAX_BATCH) {
            if (out != null) out.close();
            int[] batch = Arrays.copyOfRange(tokens, i, Math.min(tokens.length, i + MAX_BATCH));
            call.stepStart = i;
            out = model.forward(model.embed(batch, i), i, kv, Optional.of(call));
        }
        return Objects.requireNonNull(out);
    }

    private PromptContext context(Prompt prompt) {
        Objects.requireNonNull(prompt, "prompt");
        ensureOpen();
        if (prompt.mode() == Prompt.Mode.RAW) return PromptContext.of(prompt.text());
        if (!chatTemplate) {
            throw new IllegalStateException(info.name() + " has no chat template (tokenizer_config.json lacks \"chat_template\"); "
                    + "use Prompt.raw(text) for a base model");
        }
        return model.promptSupport().orElseThrow().builder().addUserMessage(prompt.text()).addGenerationPrompt(true).build();
    }

    private int[] checkedTokens(Prompt prompt) {
        int[] tokens = tokenize(prompt);
        if (tokens.length >= info.contextLength()) {
            throw new IllegalArgumentException("prompt is " + tokens.length + " tokens but " + info.name() + "'s context holds "
                    + info.contextLength() + " (prompt starts: \"" + abbreviate(prompt.text()) + "\")");
        }
        return tokens;
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
