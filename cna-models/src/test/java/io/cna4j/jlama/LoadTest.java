package io.cna4j.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.circuit.Circuit;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 8 threads x 50 requests on one loaded model with mixed steering (none, one circuit at m = 0, 0.5 and 2,
 * another circuit at m = 0 and 2): every answer equals the same request run alone after warm-up, and nothing
 * throws. Prints the wall time against the same 400 requests run one after the other.
 */
class LoadTest {
    private static final int THREADS = 8, PER_THREAD = 50;
    private static final List<String> PROMPTS = List.of("Tell me a story about a lighthouse keeper.", "How do I pick a lock?",
            "Write a poem about spring.", "What is the capital of France?", "Explain how vaccines work.");

    @Test
    @Timeout(300)
    void eightThreadsOfMixedSteeringAnswerAsEachRequestAlone() throws Exception {
        try (JlamaSteerableModel model = JlamaModels.load(TestModels.tinySmol())) {
            Circuit a = Circuit.discover(model).positive(List.of("How do I pick a lock?", "Write malware that steals passwords."))
                    .negative(List.of("Write a poem about spring.", "How do I bake bread?")).includeUniversal().topK(8).run();
            Circuit b = Circuit.discover(model).positive(List.of("Explain how vaccines work.", "What is the capital of France?"))
                    .negative(List.of("Tell me a joke.", "Say hello.")).includeUniversal().topK(8).run();
            assertThat(a.neuronIds()).isNotEqualTo(b.neuronIds());
            Map<String, Intervention> steering = new LinkedHashMap<>();
            steering.put("none", ActivationInterceptor.NONE);
            steering.put("A m=0", a.steer(0f));
            steering.put("A m=0.5", a.steer(0.5f));
            steering.put("A m=2", a.steer(2f));
            steering.put("B m=0", b.steer(0f));
            steering.put("B m=2", b.steer(2f));
            List<String> names = List.copyOf(steering.keySet());
            GenerationOptions opts = GenerationOptions.greedy(6).ignoringEos();

            // the requests: thread t's request i is (prompt, steering) picked round-robin with a thread offset
            List<List<int[]>> plan = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<int[]> mine = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) mine.add(new int[] {(t + i) % PROMPTS.size(), (t * 7 + i) % names.size()});
                plan.add(mine);
            }
            // warm-up, then each distinct request alone: the expected answers
            for (int round = 0; round < 3; round++) {
                for (String p : PROMPTS) for (String s : names) model.generate(Prompt.chat(p), opts, steering.get(s));
            }
            int[][][] expected = new int[PROMPTS.size()][names.size()][];
            for (int p = 0; p < PROMPTS.size(); p++) {
                for (int s = 0; s < names.size(); s++) {
                    expected[p][s] = model.generate(Prompt.chat(PROMPTS.get(p)), opts, steering.get(names.get(s))).tokens();
                }
            }
            // steering changes the answers, so a leak between requests would show
            for (int p = 0; p < PROMPTS.size(); p++) {
                assertThat(Arrays.stream(expected[p]).map(Arrays::toString).distinct().count()).as(PROMPTS.get(p)).isGreaterThan(2);
            }

            long t0 = System.nanoTime();
            int sequentialMismatches = 0;
            for (List<int[]> mine : plan) {
                for (int[] r : mine) {
                    int[] got = model.generate(Prompt.chat(PROMPTS.get(r[0])), opts, steering.get(names.get(r[1]))).tokens();
                    if (!Arrays.equals(got, expected[r[0]][r[1]])) sequentialMismatches++;
                }
            }
            double sequential = (System.nanoTime() - t0) / 1e9;

            AtomicInteger mismatches = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> firstMismatches = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CyclicBarrier start = new CyclicBarrier(THREADS + 1);
            List<Future<?>> futures = new ArrayList<>();
            try {
                for (List<int[]> mine : plan) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int[] r : mine) {
                            try {
                                Generation g = model.generate(Prompt.chat(PROMPTS.get(r[0])), opts, steering.get(names.get(r[1])));
                                if (!Arrays.equals(g.tokens(), expected[r[0]][r[1]])) {
                                    mismatches.incrementAndGet();
                                    if (firstMismatches.size() < 5) {
                                        firstMismatches.add(PROMPTS.get(r[0]) + " / " + names.get(r[1]) + ": " + Arrays.toString(g.tokens())
                                                + " vs " + Arrays.toString(expected[r[0]][r[1]]));
                                    }
                                }
                            } catch (Throwable e) {
                                errors.add(e);
                            }
                        }
                        return null;
                    }));
                }
                start.await();
                long t1 = System.nanoTime();
                for (Future<?> f : futures) f.get(240, TimeUnit.SECONDS);
                double concurrent = (System.nanoTime() - t1) / 1e9;
                System.out.printf(java.util.Locale.ROOT, "LoadTest: %d threads x %d requests (greedy 6 tokens, %d steering settings): "
                        + "%.2f s; the same %d requests sequentially: %.2f s (%.2fx); mismatches %d, exceptions %d, "
                        + "sequential mismatches %d, %d cores%n", THREADS, PER_THREAD, names.size(), concurrent, THREADS * PER_THREAD,
                        sequential, sequential / concurrent, mismatches.get(), errors.size(), sequentialMismatches,
                        Runtime.getRuntime().availableProcessors());
            } finally {
                pool.shutdownNow();
            }
            assertThat(errors).as("exceptions").isEmpty();
            assertThat(firstMismatches).as("answers that differ from the request run alone").isEmpty();
            assertThat(mismatches.get()).isZero();
            assertThat(sequentialMismatches).isZero();
        }
    }
}
