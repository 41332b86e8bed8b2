package io.cna4j.circuit;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.AddAtHook;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.HookPoint;
import io.cna4j.model.Intervention;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import io.cna4j.model.NeuronMultipliers;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Code that Javadoc shows through {@code {@snippet class=io.cna4j.circuit.Snippets region=...}}: compiled with the
 * tests and run by {@link SnippetsTest}, so an example cannot drift from the API (as Caffeine's Snippets.java).
 * Each method holds one region and returns what the test checks.
 */
final class Snippets {
    private Snippets() {}

    static long modelInfo(SteerableModel model) {
        // @start region="model-info"
        ModelInfo info = model.info();
        long all = info.totalNeurons();   // layers * neuronsPerLayer, the base of "top 0.1 %"
        // @end
        return all;
    }

    static Generation circuitLifecycle(SteerableModel model, List<String> harmful, List<String> benign, Path dir)
            throws IOException {
        // @start region="circuit-lifecycle"
        Circuit refusal = Circuit.discover(model).positive(harmful).negative(benign).run();
        refusal.save(dir.resolve("refusal.circuit.json"));
        Circuit again = Circuit.load(dir.resolve("refusal.circuit.json"), model.info());
        Generation ablated = model.generate(Prompt.chat("How do I pick a lock?"), GenerationOptions.greedy(64),
                again.steer(0f));
        // @end
        return ablated;
    }

    static Circuit[] prefix(SteerableModel model, List<String> harmful, List<String> benign) {
        // @start region="prefix"
        Circuit ranking = Circuit.discover(model).positive(harmful).negative(benign).topK(60).run();
        Circuit small = ranking.prefix(7);      // equals Circuit.discover(model)...topK(7).run()
        // @end
        return new Circuit[] {ranking, small};
    }

    static Circuit discoveryBuilder(SteerableModel model) {
        // @start region="discovery-builder"
        Circuit refusal = Circuit.discover(model)
                .positive(List.of("How do I make a pipe bomb?", "Write malware that steals passwords."))
                .negative(List.of("How do I make a paper plane?", "Write a poem about spring."))
                .topK(46)
                .excludeLayers(0)
                .threads(2)
                .onProgress(p -> System.out.println(p.stage() + " " + p.done() + "/" + p.total()))
                .run();
        // @end
        return refusal;
    }

    static Circuit[] snapshotShards(SteerableModel model, List<String> harmful, List<String> benign)
            throws IOException {
        // @start region="snapshot-shards"
        List<String> diverse = UniversalPrompts.defaults();   // every prompt set is sharded, the universal one too
        CircuitDiscovery all = Circuit.discover(model).positive(harmful).negative(benign).universalPrompts(diverse).topK(46);
        DiscoverySnapshot a = Circuit.discover(model).positive(harmful.subList(0, 50)).negative(benign.subList(0, 40))
                .universalPrompts(diverse.subList(0, 30)).topK(46).collect();
        DiscoverySnapshot b = Circuit.discover(model).positive(harmful.subList(50, 100)).negative(benign.subList(40, 80))
                .universalPrompts(diverse.subList(30, diverse.size())).topK(46).collect();
        byte[] wire = b.toBytes();                                     // ship it between machines
        Circuit c = all.finish(a.plus(DiscoverySnapshot.fromBytes(wire)));   // equals all.run()
        // @end
        return new Circuit[] {c, all.run()};
    }

    static Intervention steering(Circuit refusal, Circuit sycophancy) {
        // @start region="steering"
        NeuronMultipliers ablate = Steering.scale(refusal, 0f);                   // same as refusal.steer(0f)
        Intervention both = Steering.combine(ablate, sycophancy.steerPositive(2f));
        NeuronMultipliers custom = Steering.multipliers(Map.of(NeuronId.of(2, 5), 3f, NeuronId.of(1, 7), 0f));
        // @end
        return Intervention.all(both, custom);
    }

    static Generation intervention(SteerableModel model, Circuit refusal, float[] direction) {
        // @start region="intervention"
        Intervention ablate = refusal.steer(0f);                                   // a NeuronMultipliers
        Intervention caa = new AddAtHook(HookPoint.mlpOut(2), direction, -1f);     // adds -1 * direction at layer 2
        Generation g = model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(32), Intervention.all(ablate, caa));
        // @end
        return g;
    }

    static NeuronMultipliers neuronMultipliers() {
        // @start region="neuron-multipliers"
        NeuronMultipliers ablate = NeuronMultipliers.of(List.of(NeuronId.of(27, 1023), NeuronId.of(12, 7)), 0f);
        NeuronMultipliers mixed = NeuronMultipliers.of(Map.of(NeuronId.of(27, 1023), 3f, NeuronId.of(12, 7), 0f));
        int[] neurons = mixed.neurons(27);    // [1023]
        float[] factors = mixed.factors(27);  // [3.0]
        // @end
        return neurons[0] == 1023 && factors[0] == 3f ? ablate : mixed;
    }

    static Generation addAtHook(SteerableModel model) {
        // @start region="add-at-hook"
        float[] direction = new float[model.info().hiddenSize()];   // e.g. a mean difference of MLP outputs
        Intervention caa = new AddAtHook(HookPoint.parse("blocks.2.hook_mlp_out"), direction, -0.5f);
        Generation g = model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(32), caa);
        // @end
        return g;
    }

    static Generation activationInterceptor(SteerableModel model, ActivationInterceptor recorder) {
        // @start region="activation-interceptor"
        ActivationInterceptor ablate = new ActivationInterceptor() {
            @Override public void onMlpActivation(ActivationRows rows) {
                if (rows.layer() == 2) {
                    for (int r = 0; r < rows.rowCount(); r++) rows.set(r, 5, 0f);
                }
            }
        };
        Generation g = model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(32), ablate.andThen(recorder));
        // @end
        return g;
    }

    static List<Object> hookPoint() {
        // @start region="hook-point"
        HookPoint out = HookPoint.mlpOut(12);
        String name = out.toString();                               // "blocks.12.hook_mlp_out"
        HookPoint post = HookPoint.parse("blocks.27.mlp.hook_post");  // HookPoint.mlpPost(27)
        // @end
        return List.of(name, post);
    }
}
