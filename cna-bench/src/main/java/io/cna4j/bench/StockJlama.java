package io.cna4j.bench;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The baseline of the benchmarks: jlama's own model ({@code ModelSupport.loadModel}, F32 working memory),
 * driven through jlama's public API exactly as jlama's {@code generate} drives it (batched prefill, greedy
 * sampling of the last position, one forward pass per new token), with nothing of cna4j in between. It is
 * given token ids rather than text: jlama 0.8.4's tokenizer differs from Hugging Face's (see README, "Known
 * jlama issues"), and the benchmarks compare forward passes over the same ids, those cna4j computes.
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

    /** One forward pass over {@code tokens}; returns the greedy next token. */
    int forward(int[] tokens) {
        try (KvBufferCache.KvBuffer kv = kvCache.getEphemeralKvBuffer();
             AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize);
             AbstractTensor out = model.batchForward(tokens, 0, kv)) {
            return model.sample(out.slice(out.shape().first() - 1), 0f, 0f, logits);
        }
    }

    /** The result of {@link #generate}: tokens, text and the two phases' times. */
    record Greedy(int[] tokens, String text, long prefillNanos, long decodeNanos) {}

    /** Greedy generation of exactly {@code count} tokens, end-of-sequence ignored, text decoded as it goes. */
    Greedy generate(int[] prompt, int count) {
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
