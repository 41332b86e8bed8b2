package io.cna4j.bench;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.jlama.safetensors.SafetensorsWriter;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.Prompt;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What interception costs on a forward pass: one chat prompt of about 40 tokens through a random-weight
 * model of a real shape, in three ways measured in the same run:
 * <ul>
 *   <li>{@code stockJlama} — the baseline: jlama's own {@code LlamaModel}, prompt encoding, prefill and the
 *       last position's logits, exactly as jlama's generate does them;</li>
 *   <li>{@code interceptedNoInterceptor} — cna4j's model with {@link ActivationInterceptor#NONE};</li>
 *   <li>{@code interceptedNoOp} — cna4j's model with an interceptor that is called at every layer and does
 *       nothing, so the cost of the hook calls and row views shows.</li>
 * </ul>
 * The target is that both intercepted variants are at most 3 % slower than the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ForwardPassBenchmark {
    /** About 40 tokens once SmolLM2's chat template (with its default system prompt) is applied. */
    static final String QUESTION = "Could you explain how a bicycle gear works?";

    @Param({"SmolLM2-135M-Instruct"})
    public String shape;

    private Path folder;
    private AbstractModel stock;
    private JlamaSteerableModel intercepted;
    private PromptContext context;
    private final Prompt prompt = Prompt.chat(QUESTION);
    private final ActivationInterceptor noOp = new ActivationInterceptor() {
        @Override
        public void onMlpActivation(ActivationRows rows) {}
    };

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        folder = BenchModels.write(shape, SafetensorsWriter.DType.F32);
        stock = ModelSupport.loadModel(folder.toFile(), DType.F32, DType.I8);
        intercepted = JlamaModels.load(folder);
        context = stock.promptSupport().orElseThrow().builder().addUserMessage(QUESTION).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        stock.close();
        intercepted.close();
        try (var s = java.nio.file.Files.walk(folder)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public int stockJlama() {
        int[] tokens = stock.encodePrompt(context);
        try (KvBufferCache.KvBuffer kv = new KvBufferCache(stock).getEphemeralKvBuffer();
             AbstractTensor out = stock.batchForward(tokens, 0, kv);
             AbstractTensor logits = stock.makeDenseTensor(stock.getConfig().vocabularySize)) {
            return stock.sample(out.slice(out.shape().first() - 1), 0f, 0f, logits);
        }
    }

    @Benchmark
    public int interceptedNoInterceptor() {
        return intercepted.forward(prompt, ActivationInterceptor.NONE).argmax();
    }

    @Benchmark
    public int interceptedNoOp() {
        return intercepted.forward(prompt, noOp).argmax();
    }
}
