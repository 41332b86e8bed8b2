package io.cna4j.bench;

import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaOptions;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.Kernels;
import io.cna4j.model.Prompt;
import java.nio.file.Path;

/**
 * The two sides of benchmarks 1 and 3: stock jlama and cna4j's model of one shape, loaded from the same
 * cached folder on jlama's pure-Java operations, with the benchmarks' chat prompt as cna4j tokenizes it
 * (Hugging Face's ids), which both sides are given.
 *
 * {@snippet :
 * ModelPair models = ModelPair.load("smol135m", ForwardPassBenchmark.QUESTION);
 * int next = models.stock().forward(models.tokens());
 * models.close();
 * }
 *
 * @param folder       the cached model folder ({@link BenchModels})
 * @param stock        jlama's own model
 * @param intercepted  cna4j's model of the same weights
 * @param tokens       the chat prompt's ids, for both
 */
record ModelPair(Path folder, StockJlama stock, JlamaSteerableModel intercepted, int[] tokens)
        implements AutoCloseable {

    /**
     * Loads both models of {@code shape} ({@link ModelShape}).
     *
     * @throws IllegalStateException if jlama picked another operations provider
     */
    static ModelPair load(String shape, String question) {
        OperationsProvider.requirePanama();
        Path folder = BenchModels.folder(ModelShape.of(shape));
        StockJlama stock = StockJlama.load(folder);
        // jlama's kernels: benchmarks 1 and 3 measure what interception and steering cost, not the kernels (7 does)
        JlamaSteerableModel intercepted = JlamaModels.load(folder, JlamaOptions.defaults().kernels(Kernels.JLAMA));
        return new ModelPair(folder, stock, intercepted, intercepted.tokenize(Prompt.chat(question)));
    }

    /** Tokens of the chat prompt. */
    int promptLength() {
        return tokens.length;
    }

    /** Closes both models. */
    @Override
    public void close() throws Exception {
        stock.close();
        intercepted.close();
    }
}
