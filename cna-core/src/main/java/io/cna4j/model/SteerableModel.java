package io.cna4j.model;

/**
 * A chat model whose MLP activations can be read and changed per call.
 *
 * <p>Implementations are safe for concurrent calls: two threads that run {@link #forward} or
 * {@link #generate} at the same time with different interceptors never see each other's effects.
 *
 * {@snippet :
 * try (SteerableModel model = JlamaModels.load(Path.of("models/SmolLM2-135M-Instruct"))) {
 *     System.out.println(model.info().layers() + " layers");
 *     Generation g = model.generate(Prompt.chat("Hello!"), GenerationOptions.greedy(64), ActivationInterceptor.NONE);
 *     System.out.println(g.text());
 * }
 * }
 */
public interface SteerableModel extends AutoCloseable {

    /** Name, architecture and shape. */
    ModelInfo info();

    /** Whether the model ships a chat template; without one only {@link Prompt.Mode#RAW} prompts work. */
    boolean hasChatTemplate();

    /**
     * The exact text the model reads for {@code prompt}: for chat prompts the chat template applied to one
     * user turn with the generation prompt appended; for raw prompts the text itself.
     *
     * @throws IllegalStateException for a chat prompt on a model without a chat template
     */
    String format(Prompt prompt);

    /** The token ids the model reads for {@code prompt}, beginning-of-sequence token included where used. */
    int[] tokenize(Prompt prompt);

    /** Token ids of plain text, no special tokens added (e.g. to find the ids of " A" .. " D"). */
    int[] encode(String text);

    /** Text of token ids, special tokens dropped. */
    String decode(int[] tokens);

    /**
     * Runs the prompt through the model once, without generating, calling {@code interceptor} at every layer.
     *
     * @throws IllegalArgumentException if the prompt is longer than the model's context
     *         ({@link ModelInfo#contextLength()}), or the interceptor addresses neurons the model lacks
     *         ({@link ActivationInterceptor#requireFits})
     * @throws NonFiniteActivationException if the pass produces a NaN, infinite or overflowing value
     */
    ForwardResult forward(Prompt prompt, ActivationInterceptor interceptor);

    /**
     * Greedy generation: the prompt's prefill, then one token at a time until EOS or the options' limit,
     * calling {@code interceptor} at every layer of every step. Generation that reaches the end of the context
     * stops with {@link Generation.FinishReason#CONTEXT_FULL} and returns what it produced.
     *
     * @throws IllegalArgumentException if the prompt leaves no room in the model's context for a generated
     *         token, or the interceptor addresses neurons the model lacks ({@link ActivationInterceptor#requireFits})
     * @throws NonFiniteActivationException if a step produces a NaN, infinite or overflowing value
     */
    Generation generate(Prompt prompt, GenerationOptions options, ActivationInterceptor interceptor);

    /** Frees the model's memory; later calls fail. */
    @Override
    void close();
}
