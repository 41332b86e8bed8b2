package io.cna4j.jlama;

import com.github.tjake.jlama.model.llama.LlamaConfig;
import com.github.tjake.jlama.model.mistral.MistralConfig;
import com.github.tjake.jlama.model.qwen2.Qwen2Config;
import com.github.tjake.jlama.safetensors.Config;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import com.github.tjake.jlama.safetensors.WeightLoader;
import com.github.tjake.jlama.util.JsonSupport;
import io.cna4j.jlama.rope.JlamaRopeTable;
import io.cna4j.jlama.rope.RopeScaling;
import io.cna4j.jlama.text.ChatTemplate;
import io.cna4j.jlama.text.HfTokenizer;
import io.cna4j.jlama.text.PromptEncoder;
import io.cna4j.model.ModelInfo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The front door of {@code cna-models}: loads a Hugging Face model folder (or Hub id) as a
 * {@link JlamaSteerableModel}.
 *
 * <p>Supported: {@link Architecture#LLAMA} (Llama 3.x, SmolLM2), {@link Architecture#QWEN2} (Qwen 2.5) and
 * {@link Architecture#MISTRAL}; weights in one {@code model.safetensors} or sharded with
 * {@code model.safetensors.index.json}, stored as F32, F16 or BF16, optionally quantized by jlama on load.
 * RoPE is Hugging Face's for the {@code default}, {@code linear}, {@code dynamic}, {@code yarn} and {@code llama3}
 * types ({@link RopeScaling}; jlama 0.8.4 alone scales only Llama's {@code linear}); other types are refused.
 * The folder is validated first ({@link ModelFolder#open}), and jlama's matrix kernels are checked once per
 * JVM ({@link KernelCheck}); every problem is a {@link ModelLoadException}.
 *
 * <p>Programs need {@code --add-modules jdk.incubator.vector} on the {@code java} command line. Do not add
 * jlama-native: its 0.8.4 kernels compute wrong prefill products, and loading refuses to run on them.
 *
 * {@snippet :
 * try (JlamaSteerableModel model = JlamaModels.load(Path.of("models/SmolLM2-135M-Instruct"))) {
 *     Generation g = model.generate(Prompt.chat("Hello"), GenerationOptions.greedy(40), ActivationInterceptor.NONE);
 *     System.out.println(g.text());
 * }
 * // or by Hub id, downloaded once into a cache folder (needs network access to the Hub):
 * JlamaSteerableModel qwen = JlamaModels.loadFromHub("Qwen/Qwen2.5-0.5B-Instruct", Path.of("models"), JlamaOptions.defaults());
 * }
 */
public final class JlamaModels {
    /** The prefix that marks a Hub id in {@link #loadFolderOrHub}: {@code hf:owner/name}. */
    public static final String HUB_PREFIX = "hf:";

    private static final Pattern HUB_ID = Pattern.compile("[\\w.-]+/[\\w.-]+");

    private JlamaModels() {}

    /** Loads a local model folder with {@link JlamaOptions#defaults()}. */
    public static JlamaSteerableModel load(Path folder) {
        return load(folder, JlamaOptions.defaults());
    }

    /**
     * Loads a local model folder.
     *
     * @throws ModelLoadException when the folder is missing something, is corrupt, or is of an unsupported
     *                            architecture, or when {@code options} ask for jlama's quantization at load (Q4, I8),
     *                            which jlama 0.8.4 cannot run (README, "Known jlama issues"), or for Q8_0 with
     *                            {@link Kernels#JLAMA}
     */
    public static JlamaSteerableModel load(Path folder, JlamaOptions options) {
        if (options.quantization() == JlamaOptions.Quantization.Q8_0 && options.kernels() != Kernels.CNA4J) {
            throw new ModelLoadException("Q8_0 is cna4j's quantization, run by cna4j's kernels: load with Kernels.CNA4J "
                    + "(the default), not " + options.kernels());
        }
        if (options.quantization() == JlamaOptions.Quantization.Q4 || options.quantization() == JlamaOptions.Quantization.I8) {
            // refused here, not at the first forward pass deep inside jlama (UnsupportedOperationException: BF16)
            throw new ModelLoadException("quantizing at load (" + options.quantization() + ") does not work with jlama 0.8.4: "
                    + "it leaves the projections unquantized and has no product for its I8 activations with them "
                    + "(README, \"Known jlama issues\"); load the weights as stored (JlamaOptions.defaults())");
        }
        ModelFolder f = ModelFolder.open(folder);
        JlamaThreads.request(options.threads());   // JVM-wide in jlama: a conflicting second count fails here
        KernelCheck.verify();
        RopeScaling rope = RopeScaling.fromConfig(f.config(), folder.resolve(ModelFolder.CONFIG)); // refuses RoPE it cannot compute
        Config config;
        try {
            Class<? extends Config> type = switch (f.architecture()) {
                case LLAMA -> LlamaConfig.class;
                case QWEN2 -> Qwen2Config.class;
                case MISTRAL -> MistralConfig.class;
            };
            config = JsonSupport.om.treeToValue(JlamaRopeTable.withRopeTheta(f.config(), rope), type);
        } catch (IOException e) {
            throw new ModelLoadException(folder.resolve(ModelFolder.CONFIG) + ": jlama cannot read it (" + e.getMessage() + ")", e);
        }
        JlamaRopeTable.rewrite(config, rope); // jlama 0.8.4 ignores rope_scaling but for Llama's "linear"
        config.setWorkingDirectory(null);
        HfTokenizer tokenizer = HfTokenizer.load(folder);
        try {
            return load(f, config, new PromptEncoder(tokenizer, ChatTemplate.load(folder).orElse(null)), options);
        } catch (RuntimeException e) {
            tokenizer.close(); // native memory
            throw e;
        }
    }

    private static JlamaSteerableModel load(ModelFolder f, Config config, PromptEncoder encoder,
                                            JlamaOptions options) {
        Path folder = f.path();
        File dir = folder.toFile();
        WeightLoader weights = SafeTensorSupport.loadWeights(dir);
        Optional<DType> quant = switch (options.quantization()) {
            case NONE, Q8_0 -> Optional.empty();   // Q8_0: jlama loads the weights as stored; cna4j quantizes below
            case Q4 -> Optional.of(DType.Q4);
            case I8 -> Optional.of(DType.I8);
        };
        int usableContext = JlamaSteerableModel.usableContext(config, folder.resolve(ModelFolder.CONFIG));
        InterceptableLlama model = new InterceptableLlama(config, weights, new JlamaTokenizerBridge(encoder.tokenizer()), DType.F32, DType.I8, quant,
                options.kernels());
        if (options.quantization() == JlamaOptions.Quantization.Q8_0) model.quantizeWeightsToQ8();
        ModelInfo info = new ModelInfo(f.name(), f.architecture().className(), config.numberOfLayers, config.hiddenLength,
                config.embeddingLength, config.vocabularySize, usableContext, f.fingerprint());
        return new JlamaSteerableModel(model, info, encoder);
    }

    /**
     * Loads a model by Hugging Face Hub id ({@code owner/name}), downloading it into {@code cacheDir} first
     * unless it is already there. Needs network access to the Hub; thin by design: the download is jlama's.
     *
     * @throws ModelLoadException when {@code hubId} is not of the form {@code owner/name} or the download fails
     */
    public static JlamaSteerableModel loadFromHub(String hubId, Path cacheDir, JlamaOptions options) {
        if (!HUB_ID.matcher(hubId).matches()) {
            throw new ModelLoadException("'" + hubId + "' is neither a model folder nor a Hub id of the form owner/name");
        }
        try {
            Files.createDirectories(cacheDir);
            File dir = SafeTensorSupport.maybeDownloadModel(cacheDir.toString(), hubId);
            return load(dir.toPath(), options);
        } catch (IOException e) {
            throw new ModelLoadException("downloading " + hubId + " into " + cacheDir + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Loads {@code hf:owner/name} from the Hub (see {@link #loadFromHub}) and anything else as a local folder. A
     * Hub id must be marked: a mistyped folder such as {@code models/Qwen} is reported as a missing folder, never
     * downloaded.
     *
     * @throws ModelLoadException when the folder does not exist (naming it, with the {@code hf:} spelling when it
     *     reads like a Hub id), is not a model, or the download fails
     */
    public static JlamaSteerableModel loadFolderOrHub(String folderOrHubId, Path cacheDir, JlamaOptions options) {
        if (folderOrHubId.startsWith(HUB_PREFIX)) {
            return loadFromHub(folderOrHubId.substring(HUB_PREFIX.length()), cacheDir, options);
        }
        Path p = Path.of(folderOrHubId);
        if (!Files.exists(p)) {
            throw new ModelLoadException(p + ": model folder does not exist"
                    + (HUB_ID.matcher(folderOrHubId).matches() ? " (for the Hugging Face Hub model write "
                            + HUB_PREFIX + folderOrHubId + ")" : ""));
        }
        return load(p, options);
    }
}
