package io.cna4j.gpu;

import io.cna4j.gpu.pass.GpuForwardPass;
import io.cna4j.gpu.pass.GpuWeights;
import io.cna4j.gpu.pass.ModelShape;
import io.cna4j.gpu.vulkan.CommandStream;
import io.cna4j.gpu.vulkan.VulkanDevice;
import io.cna4j.jlama.ModelFolder;
import io.cna4j.jlama.ModelLoadException;
import io.cna4j.jlama.rope.RopeScaling;
import io.cna4j.jlama.text.ChatTemplate;
import io.cna4j.jlama.text.HfTokenizer;
import io.cna4j.jlama.text.PromptEncoder;
import io.cna4j.model.ModelInfo;
import java.nio.file.Path;

/**
 * Loads Hugging Face Llama / Qwen2 / Mistral folders (the same ones {@code JlamaModels.load} takes, checked by
 * the same {@link ModelFolder#open}) onto a Vulkan compute device, as a {@link GpuSteerableModel}: the same
 * {@link io.cna4j.model.SteerableModel} API, so discovery, steering and the sweeps run unchanged.
 *
 * {@snippet :
 * try (SteerableModel model = GpuModels.load(Path.of("models/SmolLM2-135M-Instruct"))) {
 *     Circuit refusal = Circuit.discover(model).positive(harmful).negative(harmless).run();
 *     Generation g = model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(32), refusal.steer(0f));
 * }
 * }
 */
public final class GpuModels {
    private GpuModels() {}

    /** {@link #load(Path, GpuOptions)} with {@link GpuOptions#defaults()}. */
    public static GpuSteerableModel load(Path folder) {
        return load(folder, GpuOptions.defaults());
    }

    /**
     * Checks the folder, opens the best Vulkan device, checks that the model fits its memory (before allocating
     * anything), uploads the weights and compiles the shaders.
     *
     * @throws ModelLoadException      when the folder is missing something, is corrupt or unsupported (as for the CPU
     *                                 backend)
     * @throws GpuUnavailableException when there is no Vulkan loader or device, or the model does not fit the
     *                                 device's memory (both sizes named)
     */
    public static GpuSteerableModel load(Path folder, GpuOptions options) {
        ModelFolder f = ModelFolder.open(folder);
        RopeScaling rope = RopeScaling.fromConfig(f.config(), folder.resolve("config.json"));
        ModelShape shape = ModelShape.of(f);
        VulkanDevice device = VulkanDevice.open();
        java.util.Deque<AutoCloseable> made = new java.util.ArrayDeque<>(); // closed newest first if the load fails
        made.push(device);
        try {
            requireFits(f, shape, device, options);
            CommandStream stream = new CommandStream(device);
            made.push(stream);
            GpuWeights weights = GpuWeights.upload(device, stream, f, shape);
            made.push(weights);
            GpuForwardPass pass = new GpuForwardPass(device, stream, weights, shape, rope);
            made.push(pass);
            HfTokenizer tokenizer = HfTokenizer.load(folder);
            made.push(tokenizer);
            ModelInfo info = new ModelInfo(f.name(), f.architecture().className(), shape.layers(), shape.intermediate(),
                    shape.hidden(), shape.vocab(), shape.contextLength(), f.fingerprint());
            return new GpuSteerableModel(info, shape, new PromptEncoder(tokenizer, ChatTemplate.load(folder).orElse(null)),
                    device, stream, weights, pass);
        } catch (RuntimeException e) {
            while (!made.isEmpty()) {
                try {
                    made.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static void requireFits(ModelFolder f, ModelShape shape, VulkanDevice device, GpuOptions options) {
        int positions = Math.min(options.reservedPositions(), shape.contextLength());
        long weights = GpuWeights.deviceBytes(f);
        long work = GpuForwardPass.workspaceBytes(shape, Math.min(positions, GpuSteerableModel.MAX_BATCH), positions);
        long available = device.deviceLocalBytes();
        String what = device.name() + " has " + mib(available) + " of device memory";
        if (options.memoryLimitBytes() > 0 && options.memoryLimitBytes() < available) {
            available = options.memoryLimitBytes();
            what = "the memory limit is " + mib(available) + " (GpuOptions.memoryLimit; " + device.name() + " has "
                    + mib(device.deviceLocalBytes()) + ")";
        }
        if (weights + work > available) {
            throw new GpuUnavailableException(f.name() + " needs " + mib(weights + work) + " of device memory (weights "
                    + mib(weights) + ", key/value cache and workspace for " + positions + " positions " + mib(work)
                    + ") but " + what + ": use a device with more memory, a smaller model, or the CPU backend (JlamaModels.load)");
        }
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
