package io.cna4j.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Intervention;
import io.cna4j.model.NeuronId;
import io.cna4j.model.NeuronMultipliers;
import io.cna4j.model.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * cna-models' concurrency test on the device model: threads generating and running forward passes at once on one
 * loaded model, each with its own steering (device multipliers and a host interceptor), get exactly what they get
 * one at a time. The model queues calls behind one lock, so results are bit-identical.
 */
class ConcurrencyTest extends GpuTestBase {

    /** Multiplies every neuron of every layer by {@code m} on the host (the slow path). */
    record ScaleAll(float m) implements ActivationInterceptor {
        @Override
        public void onMlpActivation(ActivationRows rows) {
            for (int r = 0; r < rows.rowCount(); r++) {
                for (int c = 0; c < rows.width(); c++) rows.set(r, c, rows.get(r, c) * m);
            }
        }
    }

    @Test
    void concurrentRequestsSteerIndependently() throws Exception {
        try (GpuSteerableModel model = GpuModels.load(GpuTestModels.tinySmol())) {
            Prompt prompt = Prompt.chat("Tell me a story about a lighthouse keeper.");
            GenerationOptions opts = GenerationOptions.greedy(12).ignoringEos();
            List<NeuronId> all = IntStream.range(0, 3).boxed()
                    .flatMap(l -> IntStream.range(0, 128).mapToObj(n -> NeuronId.of(l, n))).toList();
            Intervention[] interventions = {ActivationInterceptor.NONE, NeuronMultipliers.of(all, 0f), new ScaleAll(3f)};
            List<int[]> sequential = new ArrayList<>();
            List<float[]> sequentialLogits = new ArrayList<>();
            for (Intervention i : interventions) {
                sequential.add(model.generate(prompt, opts, i).tokens());
                sequentialLogits.add(model.forward(prompt, i).lastLogits());
            }
            assertThat(sequential.get(1)).isNotEqualTo(sequential.get(0));
            assertThat(sequential.get(2)).isNotEqualTo(sequential.get(0));

            ExecutorService pool = Executors.newFixedThreadPool(2 * interventions.length);
            try {
                for (int round = 0; round < 3; round++) {
                    CyclicBarrier start = new CyclicBarrier(interventions.length);
                    List<Future<Generation>> gens = new ArrayList<>();
                    List<Future<float[]>> logits = new ArrayList<>();
                    for (Intervention i : interventions) {
                        gens.add(pool.submit(() -> {
                            start.await();
                            return model.generate(prompt, opts, i);
                        }));
                        logits.add(pool.submit(() -> model.forward(prompt, i).lastLogits()));
                    }
                    for (int k = 0; k < interventions.length; k++) {
                        assertThat(gens.get(k).get(60, TimeUnit.SECONDS).tokens()).as("round %d, %s", round, interventions[k])
                                .containsExactly(sequential.get(k));
                        assertThat(logits.get(k).get(60, TimeUnit.SECONDS)).containsExactly(sequentialLogits.get(k));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
