package io.cna4j.circuit;

import io.cna4j.model.ModelInfo;
import io.cna4j.model.SteerableModel;

/**
 * Code that Javadoc shows through {@code {@snippet class=io.cna4j.circuit.Snippets region=...}}: compiled with the
 * tests and run by {@link SnippetsTest}, so an example cannot drift from the API (as Caffeine's Snippets.java).
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
}
