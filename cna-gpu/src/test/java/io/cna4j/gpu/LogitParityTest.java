package io.cna4j.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.fixtures.RandomModelFolder;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Prompt;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logits of the device pass against the CPU backend on random-weight models of the SmolLM2-135M (F32) and
 * Qwen2.5-0.5B (BF16, q/k/v biases, 151936-token vocabulary split over several buffers on lavapipe) shapes, two
 * layers each, and the same argmax. Tolerance per logit, relative to {@code 1 + max |cpu logit|}: 1e-4 for F32
 * weights (float32 on both sides, another summation order); 1e-2 for BF16 weights, because jlama rounds the
 * activations to BF16 before every BF16 product while the shaders keep them float32 (the GPU is the closer one).
 */
class LogitParityTest extends GpuTestBase {
    @TempDir
    static Path tmp;

    static final Prompt PROMPT = Prompt.chat("Write a short poem about the sea, please.");

    @Test
    void smolLm2Shape() throws Exception {
        Path folder = RandomModelFolder.from(shared().resolve("models/SmolLM2-135M-Instruct")).layers(2).seed(13)
                .writeTo(tmp.resolve("smol"));
        assertParity(folder, 1e-4f);
    }

    @Test
    void qwen25Shape() throws Exception {
        Path folder = RandomModelFolder.from(shared().resolve("models/Qwen2.5-0.5B-Instruct")).layers(2).seed(14)
                .dtype(SafetensorsWriter.DType.BF16).writeTo(tmp.resolve("qwen"));
        assertParity(folder, 1e-2f);
    }

    static void assertParity(Path folder, float tolerance) {
        float[] cpu, gpu;
        int[] cpuTokens, gpuTokens;
        try (JlamaSteerableModel m = JlamaModels.load(folder)) {
            var r = m.forward(PROMPT, ActivationInterceptor.NONE);
            cpu = r.lastLogits();
            cpuTokens = r.promptTokens();
        }
        try (GpuSteerableModel m = GpuModels.load(folder)) {
            var r = m.forward(PROMPT, ActivationInterceptor.NONE);
            gpu = r.lastLogits();
            gpuTokens = r.promptTokens();
        }
        assertThat(gpuTokens).isEqualTo(cpuTokens);
        float max = 0, worst = 0;
        for (float v : cpu) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(cpu[i] - gpu[i]));
        System.out.printf("gpu-parity %s: max |cpu logit| %.4f, max |gpu - cpu| %.2e%n", folder.getFileName(), max, worst);
        assertThat(worst).isLessThanOrEqualTo(tolerance * (1 + max));
        assertThat(argmax(gpu)).isEqualTo(argmax(cpu));
    }

    static int argmax(float[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[b]) b = i;
        return b;
    }
}
