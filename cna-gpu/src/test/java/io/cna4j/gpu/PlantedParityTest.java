package io.cna4j.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.circuit.Circuit;
import io.cna4j.eval.data.PromptDatasets;
import io.cna4j.jlama.Architecture;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.planted.PlantedModelSpec;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On the planted Llama and Qwen2 models: the circuit discovered on the device is the CPU's (same neurons, same
 * order), and greedy generations steered by it at m = 0, 1, 2 are token for token the CPU's.
 */
class PlantedParityTest extends GpuTestBase {
    private static final int PROMPTS = 8;
    private static final int GENERATED = 4;
    private static final int UNIVERSAL = 16; // of the 77 default universal prompts, for time

    @TempDir
    static Path dir;

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"LLAMA", "QWEN2"})
    void sameCircuitAndGenerations(Architecture architecture) throws Exception {
        Path data = shared().resolve("data");
        List<String> harmful = PromptDatasets.jbb(data.resolve("jailbreakbench/harmful.csv")).first(PROMPTS).prompts();
        List<String> benign = PromptDatasets.alpaca(data.resolve("alpaca/instructions.json"), PROMPTS).prompts();
        PlantedModelSpec spec = PlantedModel.builder().architecture(architecture).seed(11).writeTo(dir.resolve(architecture.name()));
        Outcome cpu, gpu;
        try (SteerableModel m = JlamaModels.load(spec.folder())) {
            cpu = outcome(m, harmful, benign, spec);
        }
        try (SteerableModel m = GpuModels.load(spec.folder())) {
            gpu = outcome(m, harmful, benign, spec);
        }
        System.out.printf("gpu-planted %s: circuit of %d neurons, %d generations compared%n", architecture,
                cpu.circuit.size(), cpu.generations.size());
        assertThat(gpu.circuit.neuronIds()).containsExactlyElementsOf(cpu.circuit.neuronIds());
        assertThat(gpu.generations).containsExactlyElementsOf(cpu.generations);
    }

    record Outcome(Circuit circuit, List<String> generations) {}

    private static Outcome outcome(SteerableModel m, List<String> harmful, List<String> benign, PlantedModelSpec spec) {
        int k = (int) Math.ceil(0.001 * m.info().layers() * m.info().neuronsPerLayer());
        Circuit c = Circuit.discover(m).positive(harmful).negative(benign)
                .universalPrompts(io.cna4j.circuit.UniversalPrompts.defaults().subList(0, UNIVERSAL)).topK(Math.max(k, spec.gate().size())).run();
        List<String> out = new ArrayList<>();
        for (float mult : new float[] {0f, 1f, 2f}) {
            for (String p : harmful.subList(0, 2)) {
                int[] tokens = m.generate(Prompt.chat(p), GenerationOptions.greedy(GENERATED), c.steer(mult)).tokens();
                out.add("m=" + mult + " " + java.util.Arrays.toString(tokens));
            }
        }
        return new Outcome(c, out);
    }
}
