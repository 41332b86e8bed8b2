/**
 * The optional GPU backend: {@link io.cna4j.gpu.GpuModels#load} puts a Hugging Face Llama, Qwen2 or Mistral folder
 * on a Vulkan compute device and returns a {@link io.cna4j.model.SteerableModel}.
 *
 * {@snippet :
 * try (SteerableModel model = GpuModels.load(Path.of("models/SmolLM2-135M-Instruct"))) {
 *     System.out.println(model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(16), ActivationInterceptor.NONE).text());
 * }
 * }
 */
@NullMarked
package io.cna4j.gpu;

import org.jspecify.annotations.NullMarked;
