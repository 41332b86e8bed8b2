package io.cna4j.bench;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.model.Prompt;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The baseline of the benchmarks: jlama's own model ({@code ModelSupport.loadModel}, F32 working memory),
 * driven through jlama's public API exactly as jlama's {@code generate} drives it (template the chat
 * message, encode, batched prefill, greedy sampling of the last position, one forward pass per new token),
 * with nothing of cna4j in between.
 */
final class StockJlama implements AutoCloseable {
    private final AbstractModel model;
    private final KvBufferCache kvCache;

    private StockJlama(AbstractModel model) {
        this.model = model;
        this.kvCache = new KvBufferCache(model);
    }

    /** Loads {@code folder} as jlama's loader does for generation. */
    static StockJlama load(Path folder) {
        return new StockJlama(ModelSupport.loadModel(folder.toFile(), DType.F32, DType.I8));
    }

    /** The chat-templated, encoded user message, as cna4j's {@code Prompt.chat} produces it. */
    int[] encodeChat(String userMessage) {
        PromptContext ctx = model.promptSupport().orElseThrow().builder()
                .addUserMessage(userMessage).addGenerationPrompt(true).build();
        return model.encodePrompt(ctx);
    }

    /**
     * The encoded chat prompt of {@code userMessage}, after checking that {@code intercepted} tokenizes it the
     * same way, so that baseline and candidate run over the same tokens.
     */
    int[] encodeChatAs(JlamaSteerableModel intercepted, String userMessage) {
        int[] tokens = encodeChat(userMessage);
        if (!Arrays.equals(tokens, intercepted.tokenize(Prompt.chat(userMessage)))) {
            throw new IllegalStateException("stock jlama and cna4j tokenize the prompt differently");
        }
        return tokens;
    }

    /** One forward pass over the chat prompt; returns the greedy next token. */
    int forward(String userMessage) {
        int[] tokens = encodeChat(userMessage);
        try (KvBufferCache.KvBuffer kv = kvCache.getEphemeralKvBuffer();
             AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize);
             AbstractTensor out = model.batchForward(tokens, 0, kv)) {
            return model.sample(out.slice(out.shape().first() - 1), 0f, 0f, logits);
        }
    }

    /** The result of {@link #generate}: tokens, text and the two phases' times. */
    record Greedy(int[] tokens, String text, long prefillNanos, long decodeNanos) {}

    /** Greedy generation of exactly {@code count} tokens, end-of-sequence ignored, text decoded as it goes. */
    Greedy generate(String userMessage, int count) {
        int[] prompt = encodeChat(userMessage);
        Tokenizer tokenizer = model.getTokenizer();
        int[] out = new int[count];
        StringBuilder text = new StringBuilder();
        long t0 = System.nanoTime(), t1;
        try (KvBufferCache.KvBuffer kv = kvCache.getEphemeralKvBuffer();
             AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize)) {
            int next;
            try (AbstractTensor last = model.batchForward(prompt, 0, kv)) {
                next = model.sample(last.slice(last.shape().first() - 1), 0f, 0f, logits);
            }
            t1 = System.nanoTime();
            int pos = prompt.length;
            for (int n = 0; ; ) {
                out[n++] = next;
                if (!tokenizer.getModel().isSpecialToken(next)) text.append(tokenizer.decode(next));
                if (n == count) break;
                try (AbstractTensor output = model.forward(next, pos, kv, Optional.empty())) {
                    next = model.sample(output, 0f, 0f, logits);
                }
                pos++;
            }
        }
        return new Greedy(out, text.toString(), t1 - t0, System.nanoTime() - t1);
    }

    @Override
    public void close() throws Exception {
        model.close();
        model.getWeights().close();
    }
}
