package io.cna4j.gpu;

import io.cna4j.gpu.pass.DeviceInterventions;
import io.cna4j.gpu.pass.GpuForwardPass;
import io.cna4j.gpu.pass.GpuWeights;
import io.cna4j.gpu.pass.ModelShape;
import io.cna4j.gpu.vulkan.CommandStream;
import io.cna4j.gpu.vulkan.VulkanDevice;
import io.cna4j.jlama.text.HfTokenizer;
import io.cna4j.jlama.text.PromptEncoder;
import io.cna4j.jlama.text.TextStream;
import io.cna4j.model.ForwardResult;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Intervention;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link SteerableModel} whose forward pass runs on a Vulkan compute device. Obtain one from {@link GpuModels}.
 *
 * <p>Prompts become token ids through the same Hugging Face tokenizer and chat template as the CPU backend
 * ({@link PromptEncoder}), so both read identical ids. Interventions run on the device where the backend
 * recognises them ({@link io.cna4j.model.NeuronMultipliers}, {@link io.cna4j.model.AddAtHook}), and so does
 * discovery's recording: an interceptor that {@linkplain io.cna4j.model.ActivationInterceptor#readsLastPromptTokenOnly
 * reads only the last prompt token} has that row of each hook gathered on the device into one host-visible buffer
 * and sees it after the pass (one copy per prompt). Any other {@link io.cna4j.model.ActivationInterceptor} is called
 * on a host copy of its hook's rows, which costs one device round trip per hook it subscribes to: the slow path.
 *
 * <p>Concurrency: one device queue, one workspace and one key/value cache per model, and one fair lock around
 * every call; concurrent calls queue and each runs with its own intervention, so none sees another's steering.
 *
 * <p>Not on the device: the check of MLP activations and outputs for NaN or infinite values that the CPU backend
 * makes; logits are checked ({@link io.cna4j.model.NonFiniteActivationException} with site {@code LOGITS}).
 *
 * {@snippet :
 * try (GpuSteerableModel model = GpuModels.load(Path.of("models/Qwen2.5-0.5B-Instruct"))) {
 *     ForwardResult r = model.forward(Prompt.chat("Hi"), ActivationInterceptor.NONE);
 * }
 * }
 */
public final class GpuSteerableModel implements SteerableModel {
    /** Positions per prefill step, as the CPU backend's jlama batch. */
    static final int MAX_BATCH = 256;

    private final ModelInfo info;
    private final ModelShape shape;
    private final PromptEncoder encoder;
    private final HfTokenizer tokenizer;
    private final VulkanDevice device;
    private final CommandStream stream;
    private final GpuWeights weights;
    private final GpuForwardPass pass;
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile boolean closed;

    GpuSteerableModel(ModelInfo info, ModelShape shape, PromptEncoder encoder, VulkanDevice device, CommandStream stream,
                      GpuWeights weights, GpuForwardPass pass) {
        this.info = info;
        this.shape = shape;
        this.encoder = encoder;
        this.tokenizer = encoder.tokenizer();
        this.device = device;
        this.stream = stream;
        this.weights = weights;
        this.pass = pass;
    }

    /** The device's name, e.g. {@code llvmpipe (LLVM 15.0.6, 256 bits)}. */
    public String deviceName() {
        return device.name();
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

    @Override
    public ForwardResult forward(Prompt prompt, Intervention intervention) {
        int[] tokens = checked(prompt, intervention, 0);
        float[] logits = locked(() -> {
            try (DeviceInterventions ops = DeviceInterventions.of(intervention, info.layers(), info.neuronsPerLayer(), info.hiddenSize(), device)) {
                int lastStart = prefill(tokens, tokens.length, ops, tokens.length);
                int rows = tokens.length - lastStart;
                float[] out = pass.logits(rows, rows - 1, lastStart, prompt.text())[0];
                ops.deliver(tokens.length);
                return out;
            }
        });
        return new ForwardResult(tokens, logits);
    }

    /** The prompt's prefill without the output head. */
    @Override
    public int[] run(Prompt prompt, Intervention intervention) {
        int[] tokens = checked(prompt, intervention, 0);
        locked(() -> {
            try (DeviceInterventions ops = DeviceInterventions.of(intervention, info.layers(), info.neuronsPerLayer(), info.hiddenSize(), device)) {
                prefill(tokens, tokens.length, ops, tokens.length);
                pass.finish();
                ops.deliver(tokens.length);
                return null;
            }
        });
        return tokens;
    }

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
            try (DeviceInterventions ops = DeviceInterventions.of(intervention, info.layers(), info.neuronsPerLayer(), info.hiddenSize(), device)) {
                pass.reserve(Math.min(MAX_BATCH, tokens.length), tokens.length);
                if (from > 0) {
                    prefill(Arrays.copyOf(tokens, from), tokens.length, ops, from + 1);
                    pass.finish();
                }
                int[] rest = Arrays.copyOfRange(tokens, from, tokens.length);
                pass.layers(rest, from, from + 1, ops);
                float[][] out = pass.logits(rest.length, 0, from, "teacher-forced sequence of " + tokens.length + " tokens");
                ops.deliver(from + 1);
                return out;
            }
        });
    }

    @Override
    public Generation generate(Prompt prompt, GenerationOptions options, Intervention intervention) {
        Objects.requireNonNull(options, "options");
        int[] tokens = checked(prompt, intervention, 1);
        return locked(() -> {
            try (DeviceInterventions ops = DeviceInterventions.of(intervention, info.layers(), info.neuronsPerLayer(), info.hiddenSize(), device)) {
                return decode(tokens, prompt.text(), options, ops);
            }
        });
    }

    private Generation decode(int[] promptTokens, String text, GenerationOptions options, DeviceInterventions ops) {
        TextStream stream = new TextStream(tokenizer, true);
        Consumer<String> onToken = options.onToken();
        int[] out = new int[Math.min(options.maxNewTokens(), info.contextLength() - promptTokens.length)];
        int n = 0;
        Generation.FinishReason reason = Generation.FinishReason.MAX_TOKENS;
        long t0 = System.nanoTime();
        int lastStart = prefill(promptTokens, promptTokens.length + out.length, ops, promptTokens.length);
        int next = pass.argmax(promptTokens.length - lastStart, promptTokens.length - 1, text);
        ops.deliver(promptTokens.length);
        long t1 = System.nanoTime();
        int pos = promptTokens.length;
        while (true) {
            if (options.stopAtEos() && shape.eosTokens().contains(next)) {
                reason = Generation.FinishReason.EOS;
                break;
            }
            if (pos >= info.contextLength()) {
                reason = Generation.FinishReason.CONTEXT_FULL;
                break;
            }
            out[n++] = next;
            String piece = stream.next(next);
            if (onToken != null && !piece.isEmpty()) onToken.accept(piece);
            if (n == options.maxNewTokens()) break;
            pass.layers(new int[] {next}, pos, promptTokens.length, ops);
            next = pass.argmax(1, pos, text);
            pos++;
        }
        String rest = stream.finish();
        if (onToken != null && !rest.isEmpty()) onToken.accept(rest);
        long t2 = System.nanoTime();
        return new Generation(stream.text(), Arrays.copyOf(out, n), reason, promptTokens.length, t1 - t0, t2 - t1);
    }

    /**
     * Runs {@code tokens} through the layers in steps of {@link #MAX_BATCH}, reserving room for {@code positions};
     * returns the first position of the last step, whose rows stay on the device (its work maybe unsubmitted).
     */
    private int prefill(int[] tokens, int positions, DeviceInterventions ops, int promptLength) {
        pass.reserve(Math.min(MAX_BATCH, tokens.length), positions);
        int start = 0;
        for (int i = 0; i < tokens.length; i += MAX_BATCH) {
            if (i > 0) pass.finish();
            start = i;
            pass.layers(Arrays.copyOfRange(tokens, i, Math.min(tokens.length, i + MAX_BATCH)), i, promptLength, ops);
        }
        return start;
    }

    /** The prompt's tokens, after checking the intervention and that they and {@code room} more fit the context. */
    private int[] checked(Prompt prompt, Intervention intervention, int room) {
        Objects.requireNonNull(intervention, "intervention (use ActivationInterceptor.NONE for none)");
        intervention.requireFits(info);
        int[] tokens = tokenize(prompt);
        if (tokens.length + room > info.contextLength()) {
            throw new IllegalArgumentException("prompt is " + tokens.length + " tokens but " + info.name() + "'s context holds "
                    + info.contextLength() + (room > 0 ? " (prompt and generated tokens together)" : "")
                    + " (prompt starts: \"" + (prompt.text().length() <= 60 ? prompt.text() : prompt.text().substring(0, 57) + "...") + "\")");
        }
        return tokens;
    }

    private <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            ensureOpen();
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(info.name() + " is closed");
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            pass.close();
            weights.close();
            stream.close();
            device.close();
            tokenizer.close();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "GpuSteerableModel[" + info.name() + " on " + device.name() + ", " + info.layers() + " layers x "
                + info.neuronsPerLayer() + " neurons]";
    }
}
