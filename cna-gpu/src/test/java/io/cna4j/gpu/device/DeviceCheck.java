package io.cna4j.gpu.device;

import io.cna4j.circuit.Circuit;
import io.cna4j.eval.data.PromptDatasets;
import io.cna4j.gpu.GpuModels;
import io.cna4j.gpu.GpuSteerableModel;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.planted.PlantedModelSpec;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The prepared check for a real GPU (see cna-gpu/device/run-h200.sh): on random BF16 weights of the Llama-3.2-1B
 * shape, CPU and GPU discovery throughput, greedy decode tokens/s on the GPU, logit parity, and the planted Llama
 * circuit on both. Prints one line per figure, prefixed {@code device-check}.
 *
 * <p>Arguments: a folder with the Llama-3.2-1B {@code config.json} and a {@code tokenizer.json} (SmolLM2's: its ids
 * fit the vocabulary; the shape, not the text, is what is measured), the shared data folder, a scratch folder, and
 * the number of CPU prompts (the CPU path is measured on fewer prompts to fit the time).
 */
public final class DeviceCheck {
    private DeviceCheck() {}

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]), data = Path.of(args[1]), scratch = Path.of(args[2]);
        int cpuPrompts = Integer.parseInt(args[3]);
        Files.createDirectories(scratch);
        long t = System.nanoTime();
        Path llama = RandomModelFolder.from(source).dtype(SafetensorsWriter.DType.BF16).seed(5).writeTo(scratch.resolve("llama-1b"));
        log("wrote random BF16 weights of the shape of %s in %.1f s", source.resolve("config.json"), secs(t));
        List<String> harmful = PromptDatasets.jbb(data.resolve("jailbreakbench/harmful.csv")).first(100).prompts();
        List<String> benign = PromptDatasets.alpaca(data.resolve("alpaca/instructions.json"), 100).prompts();
        Prompt probe = Prompt.chat(harmful.get(0));

        float[] gpuLogits;
        try (GpuSteerableModel gpu = GpuModels.load(llama)) {
            log("gpu device: %s", gpu.deviceName());
            gpu.forward(probe, ActivationInterceptor.NONE); // warm-up: shaders, workspace
            gpuLogits = gpu.forward(probe, ActivationInterceptor.NONE).lastLogits();
            double gpuRate = discoveryRate(gpu, harmful, benign);
            log("gpu discovery: %.2f prompts/s over %d prompts", gpuRate, harmful.size() + benign.size());
            Generation g = gpu.generate(probe, GenerationOptions.greedy(128).ignoringEos(), ActivationInterceptor.NONE);
            log("gpu greedy decode: %.1f tokens/s at batch 1 (%d tokens, prefill %.3f s)", g.tokensPerSecond(), g.tokenCount(),
                    g.prefillNanos() / 1e9);
            try (JlamaSteerableModel cpu = JlamaModels.load(llama)) {
                float[] cpuLogits = cpu.forward(probe, ActivationInterceptor.NONE).lastLogits();
                float max = 0, worst = 0;
                for (int i = 0; i < cpuLogits.length; i++) {
                    max = Math.max(max, Math.abs(cpuLogits[i]));
                    worst = Math.max(worst, Math.abs(cpuLogits[i] - gpuLogits[i]));
                }
                log("logit parity (BF16 weights): max |gpu - cpu| %.3e, max |cpu| %.3f, relative %.3e", worst, max, worst / (1 + max));
                double cpuRate = discoveryRate(cpu, harmful.subList(0, cpuPrompts / 2), benign.subList(0, cpuPrompts / 2));
                log("cpu discovery: %.3f prompts/s over %d prompts (%d threads)", cpuRate, cpuPrompts,
                        Runtime.getRuntime().availableProcessors());
                log("gpu / cpu discovery: %.1fx", gpuRate / cpuRate);
            }
        }
        PlantedModelSpec planted = PlantedModel.builder().writeTo(scratch.resolve("planted"));
        Circuit onCpu, onGpu;
        try (SteerableModel m = JlamaModels.load(planted.folder())) {
            onCpu = Circuit.discover(m).positive(harmful.subList(0, 32)).negative(benign.subList(0, 32)).run();
        }
        try (SteerableModel m = GpuModels.load(planted.folder())) {
            onGpu = Circuit.discover(m).positive(harmful.subList(0, 32)).negative(benign.subList(0, 32)).run();
        }
        log("planted circuit identical on cpu and gpu: %s (%d neurons)", onCpu.neuronIds().equals(onGpu.neuronIds()), onCpu.size());
    }

    /** Positive and negative prompts per second of a whole discovery (its universal-prompt stage included). */
    private static double discoveryRate(SteerableModel m, List<String> positive, List<String> negative) {
        long t = System.nanoTime();
        Circuit.discover(m).positive(positive).negative(negative).run();
        return (positive.size() + negative.size()) / secs(t);
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.println("device-check " + String.format(java.util.Locale.ROOT, format, args));
        System.out.flush();
    }
}
