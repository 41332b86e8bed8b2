package io.cna4j.model;

/**
 * A chat model whose MLP activations can be read and changed per call.
 *
 * <p>Every call takes an {@link Intervention}: what it does to the forward pass ({@code circuit.steer(m)}, an
 * {@link AddAtHook}, a custom {@link ActivationInterceptor}, several at once with {@link Intervention#all},
 * or {@link ActivationInterceptor#NONE}).
 *
 * <p>Implementations are safe for concurrent calls: two threads that run {@link #forward} or
 * {@link #generate} at the same time with different interventions never see each other's effects.
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
     * Runs the prompt through the model once, without generating, applying {@code intervention} at every
     * layer, and returns the next-token logits at its last position.
     *
     * @throws IllegalArgumentException if the prompt is longer than the model's context
     *         ({@link ModelInfo#contextLength()}), or the intervention addresses neurons the model lacks
     *         ({@link Intervention#requireFits})
     * @throws NonFiniteActivationException if the pass produces a NaN, infinite or overflowing value
     */
    ForwardResult forward(Prompt prompt, Intervention intervention);

    /**
     * Like {@link #forward} but stops after the last transformer block: no final norm, no vocabulary-sized
     * logits. For callers that only read activations through an interceptor (circuit discovery, CAA means).
     * Returns the token ids the model read.
     *
     * <p>The default runs {@link #forward} and drops the logits; backends override it to skip them.
     *
     * {@snippet :
     * int[] read = model.run(Prompt.chat("How do I pick a lock?"), recorder);   // recorder saw every layer
     * }
     *
     * @throws IllegalArgumentException as {@link #forward}
     * @throws NonFiniteActivationException if an MLP activation or output is NaN, infinite or overflowing
     */
    default int[] run(Prompt prompt, Intervention intervention) {
        return forward(prompt, intervention).promptTokens();
    }

    /**
     * {@link #run} for several prompts, each with its own intervention ({@code perPrompt.apply(i)} for
     * {@code prompts.get(i)}), one after the other on the calling thread. Returns the token ids read, one
     * array per prompt. The default loops over {@link #run}; a backend may batch.
     *
     * {@snippet :
     * List<int[]> read = model.runAll(prompts, i -> recorders.get(i));
     * }
     */
    default java.util.List<int[]> runAll(java.util.List<Prompt> prompts,
            java.util.function.IntFunction<? extends Intervention> perPrompt) {
        java.util.List<int[]> out = new java.util.ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) out.add(run(prompts.get(i), perPrompt.apply(i)));
        return out;
    }

    /**
     * Teacher forcing: runs {@code tokens} through the model as given (no template, no BOS added) and returns
     * the next-token logits at every position from {@code from} to the last, one row per position: row
     * {@code i} predicts the token after {@code tokens[from + i]}. One prefill, so a continuation's logits at
     * each of its positions cost one forward pass instead of one per position. Used by the KL metric of
     * cna-eval, which needs the unsteered and steered next-token distributions along one continuation.
     *
     * {@snippet :
     * int[] prompt = model.tokenize(Prompt.chat("Hi"));
     * int[] all = java.util.stream.IntStream.concat(java.util.Arrays.stream(prompt),
     *         java.util.Arrays.stream(model.generate(Prompt.chat("Hi"), GenerationOptions.greedy(4), ActivationInterceptor.NONE).tokens())).toArray();
     * float[][] logits = model.logitsAt(all, prompt.length - 1, refusal.steer(0f));   // at the prompt's last token and after
     * }
     *
     * <p>The default implementation throws: a backend that cannot feed token ids does not support it.
     *
     * @throws IllegalArgumentException if {@code from} is outside {@code [0, tokens.length)} or the tokens do not
     *         fit the context
     * @throws UnsupportedOperationException if the backend cannot run token ids
     */
    default float[][] logitsAt(int[] tokens, int from, Intervention intervention) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot run token ids (logitsAt)");
    }

    /**
     * Greedy generation: the prompt's prefill, then one token at a time until EOS or the options' limit,
     * applying {@code intervention} at every layer of every step. Generation that reaches the end of the context
     * stops with {@link Generation.FinishReason#CONTEXT_FULL} and returns what it produced.
     *
     * @throws IllegalArgumentException if the prompt leaves no room in the model's context for a generated
     *         token, or the intervention addresses neurons the model lacks ({@link Intervention#requireFits})
     * @throws NonFiniteActivationException if a step produces a NaN, infinite or overflowing value
     */
    Generation generate(Prompt prompt, GenerationOptions options, Intervention intervention);

    /** Frees the model's memory; later calls fail. */
    @Override
    void close();
}
