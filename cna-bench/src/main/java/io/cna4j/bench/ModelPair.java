package io.cna4j.bench;

import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import java.nio.file.Path;

/**
 * The two sides of benchmarks 1 and 3: stock jlama and cna4j's model of one shape, loaded from the same
 * cached folder on jlama's pure-Java operations, and checked to turn the benchmarks' chat prompt into the
 * same tokens.
 *
 * {@snippet :
 * ModelPair models = ModelPair.load("smol135m", ForwardPassBenchmark.QUESTION);
 * int next = models.stock().forward(ForwardPassBenchmark.QUESTION);
 * models.close();
 * }
 *
 * @param folder       the cached model folder ({@link BenchModels})
 * @param stock        jlama's own model
 * @param intercepted  cna4j's model of the same weights
 * @param promptLength tokens of the chat prompt, the same for both
 */
record ModelPair(Path folder, StockJlama stock, JlamaSteerableModel intercepted, int promptLength)
        implements AutoCloseable {

    /**
     * Loads both models of {@code shape} ({@link ModelShape}).
     *
     * @throws IllegalStateException if jlama picked another operations provider, or the two tokenize the chat
     *         prompt of {@code question} differently
     */
    static ModelPair load(String shape, String question) {
        OperationsProvider.requirePanama();
        Path folder = BenchModels.folder(ModelShape.of(shape));
        StockJlama stock = StockJlama.load(folder);
        JlamaSteerableModel intercepted = JlamaModels.load(folder);
        return new ModelPair(folder, stock, intercepted, stock.encodeChatAs(intercepted, question).length);
    }

    /** Closes both models. */
    @Override
    public void close() throws Exception {
        stock.close();
        intercepted.close();
    }
}
