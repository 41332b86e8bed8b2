package io.cna4j.circuit;

import io.cna4j.circuit.reduce.NeuronSums;
import io.cna4j.circuit.reduce.TopActivationCounter;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.progress.ProgressListener;
import io.cna4j.progress.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The builder that discovers a {@link Circuit}: obtained from {@link Circuit#discover}, configured with
 * the options below, and finished with {@link #run()}, which is {@link #collect()} (prompts to an exact,
 * mergeable {@link DiscoverySnapshot}) followed by {@link #finish(DiscoverySnapshot)} (snapshot to circuit).
 * Collect shards of the prompts anywhere, add their snapshots ({@link DiscoverySnapshot#plus}), and finish
 * once: the circuit is bit-identical to one {@code run()} over all prompts.
 *
 * <p>Discovery runs every prompt once ({@link SteerableModel#forward}), records each layer's MLP
 * down-projection input at the prompt's last token, sums those per neuron exactly ({@link NeuronSums}),
 * takes {@code mu = mean(positive) - mean(negative)} per neuron, removes universal neurons and keeps the
 * top-k by {@code |mu|} (ties: layer, then neuron, ascending; flat positions as laid out by
 * {@link FlatNeuronIndex}). Memory is O(MLP neurons) per thread
 * whatever the number of prompts, and the circuit is bit-identical for any thread count and prompt order.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #positive(List)}</td><td>required</td><td>prompts showing the behaviour; strings are
 *       wrapped as {@link Prompt#chat}</td></tr>
 *   <tr><td>{@link #negative(List)}</td><td>required</td><td>contrasting prompts</td></tr>
 *   <tr><td>{@link #topFraction(double)}</td><td>0.001</td><td>keep this fraction of all MLP neurons,
 *       rounded up, at least 1 (per layer: of each layer's neurons)</td></tr>
 *   <tr><td>{@link #topK(int)}</td><td>unset</td><td>keep exactly k neurons (per layer: k in each); calling
 *       both topFraction and topK fails</td></tr>
 *   <tr><td>{@link #excludeUniversal()} / {@link #includeUniversal()}</td><td>exclude</td><td>remove
 *       universal neurons before top-k; includeUniversal() with any universal option fails</td></tr>
 *   <tr><td>{@link #universalPrompts(List)}</td><td>{@link UniversalPrompts#defaults()}</td><td>the diverse
 *       prompt set of the universal filter</td></tr>
 *   <tr><td>{@link #universalTopFraction(double)}</td><td>0.001</td><td>a neuron is "in the top" on a
 *       prompt when its last-token activation is among this fraction of the largest magnitudes of all MLP
 *       activations</td></tr>
 *   <tr><td>{@link #universalPrevalence(double)}</td><td>0.8</td><td>universal = in the top on at least
 *       this share of the diverse prompts</td></tr>
 *   <tr><td>{@link #excludeLayers(int...)}</td><td>none</td><td>layers never picked</td></tr>
 *   <tr><td>{@link #perLayer()}</td><td>off (global)</td><td>top-k within each layer</td></tr>
 *   <tr><td>{@link #allowNoContrast()}</td><td>off (refuse)</td><td>return a circuit, marked, even when the
 *       prompt sets show no contrast</td></tr>
 *   <tr><td>{@link #threads(int)}</td><td>1</td><td>threads running prompts (the model must allow
 *       concurrent calls, as the SPI requires); the result is identical for any count</td></tr>
 *   <tr><td>{@link #executor(Executor)}</td><td>none</td><td>runs the {@code threads} shares of each stage;
 *       without one, one thread runs everything, and more threads come from a pool that each
 *       {@link #collect()} creates once and shuts down when it ends. cna4j never shuts down an executor it
 *       was given</td></tr>
 *   <tr><td>{@link #onProgress(ProgressListener)}</td><td>none</td><td>called once per prompt, stages
 *       {@code "universal"}, {@code "positive"}, {@code "negative"}</td></tr>
 * </table>
 *
 * {@snippet class=io.cna4j.circuit.Snippets region="discovery-builder"}
 */
public final class CircuitDiscovery {
    /** The default share of all MLP neurons kept. */
    public static final double DEFAULT_TOP_FRACTION = 0.001;
    /** The default "top of all activations" fraction of the universal filter. */
    public static final double DEFAULT_UNIVERSAL_TOP_FRACTION = 0.001;
    /** The default share of diverse prompts on which a universal neuron is in the top. */
    public static final double DEFAULT_UNIVERSAL_PREVALENCE = 0.8;

    private final SteerableModel model;
    private final ModelInfo info;
    private List<Prompt> positive = List.of();
    private List<Prompt> negative = List.of();
    private @Nullable Double topFraction = DEFAULT_TOP_FRACTION;
    private int topK;
    private boolean excludeUniversal = true;
    private @Nullable List<Prompt> universalPrompts;
    private double universalTopFraction = DEFAULT_UNIVERSAL_TOP_FRACTION;
    private double universalPrevalence = DEFAULT_UNIVERSAL_PREVALENCE;
    private final TreeSet<Integer> excludedLayers = new TreeSet<>();
    private boolean perLayer;
    private int threads = 1;
    private @Nullable Executor executor;
    private ProgressListener listener = ProgressListener.NONE;
    private boolean allowNoContrast;
    /** The call that chose the circuit size (topFraction or topK), to name it when the other one conflicts. */
    private @Nullable String sizeCall;
    /** The first call that asked for the universal filter or one of its options. */
    private @Nullable String universalOnCall;
    /** The includeUniversal() call, if any. */
    private @Nullable String universalOffCall;

    /**
     * Relative size below which a contrast counts as absent: discovery refuses when the largest
     * {@code |mu|} among the eligible neurons is at most this times their mean activation magnitude,
     * {@code mean((|meanPositive| + |meanNegative|) / 2)}. Identical prompt sets would give {@code mu = 0}
     * exactly, but jlama's kernels round differently before and after the JIT compiles them, so the same
     * prompts run twice differ slightly: on a 3-layer random F32 model, identical sets of 3 prompts gave a
     * ratio of 4.5e-6, three harmful against three benign requests 4.5. The threshold sits between, with
     * orders of magnitude to spare on both sides.
     */
    public static final double NO_CONTRAST_RELATIVE = 1e-3;

    private final FlatNeuronIndex index;

    CircuitDiscovery(SteerableModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.info = model.info();
        this.index = FlatNeuronIndex.mlpNeurons(info);
    }

    /** Fails when {@code call} conflicts with {@code earlier} (Caffeine's {@code requireState}), naming both. */
    private static void requireNoConflict(@Nullable String earlier, String call) {
        if (earlier != null) {
            throw new IllegalStateException(call + " conflicts with " + earlier + " called earlier on this discovery; keep one of them");
        }
    }

    private void universalOn(String call) {
        requireNoConflict(universalOffCall, call);
        if (universalOnCall == null) universalOnCall = call;
    }

    /** Prompts that show the behaviour, each a user message ({@link Prompt#chat}). */
    public CircuitDiscovery positive(List<String> userMessages) {
        this.positive = chat(userMessages, "positive");
        return this;
    }

    /** Prompts that show the behaviour, formatted as given. */
    public CircuitDiscovery positivePrompts(List<Prompt> prompts) {
        this.positive = copy(prompts, "positive");
        return this;
    }

    /** Contrasting prompts, each a user message ({@link Prompt#chat}). */
    public CircuitDiscovery negative(List<String> userMessages) {
        this.negative = chat(userMessages, "negative");
        return this;
    }

    /** Contrasting prompts, formatted as given. */
    public CircuitDiscovery negativePrompts(List<Prompt> prompts) {
        this.negative = copy(prompts, "negative");
        return this;
    }

    /**
     * Keeps {@code fraction} of all MLP neurons (rounded up, at least 1); with {@link #perLayer()}, of
     * each layer's neurons.
     *
     * @throws IllegalArgumentException unless {@code 0 < fraction <= 1}
     * @throws IllegalStateException if {@link #topK(int)} was called
     */
    public CircuitDiscovery topFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("topFraction must be in (0, 1], got " + fraction);
        }
        String call = "topFraction(" + fraction + ")";
        if (sizeCall != null && sizeCall.startsWith("topK")) requireNoConflict(sizeCall, call);
        this.sizeCall = call;
        this.topFraction = fraction;
        this.topK = 0;
        return this;
    }

    /**
     * Keeps exactly {@code k} neurons; with {@link #perLayer()}, k in each layer.
     *
     * @throws IllegalArgumentException if {@code k <= 0} or larger than the model's MLP neurons
     * @throws IllegalStateException if {@link #topFraction(double)} was called
     */
    public CircuitDiscovery topK(int k) {
        if (k <= 0 || k > info.totalNeurons()) {
            throw new IllegalArgumentException("topK must be in [1, " + info.totalNeurons() + "] (the model's MLP neurons), got " + k);
        }
        String call = "topK(" + k + ")";
        if (sizeCall != null && sizeCall.startsWith("topFraction")) requireNoConflict(sizeCall, call);
        this.sizeCall = call;
        this.topK = k;
        this.topFraction = null;
        return this;
    }

    /**
     * Removes universal neurons before top-k (the default).
     *
     * @throws IllegalStateException if {@link #includeUniversal()} was called
     */
    public CircuitDiscovery excludeUniversal() {
        universalOn("excludeUniversal()");
        this.excludeUniversal = true;
        return this;
    }

    /**
     * Keeps universal neurons as candidates; the diverse prompts are not run.
     *
     * @throws IllegalStateException if {@link #excludeUniversal()} or a universal option was called
     */
    public CircuitDiscovery includeUniversal() {
        requireNoConflict(universalOnCall, "includeUniversal()");
        this.universalOffCall = "includeUniversal()";
        this.excludeUniversal = false;
        return this;
    }

    /**
     * The universal filter's diverse prompt set, user messages ({@link Prompt#chat}); turns the filter on.
     *
     * @throws IllegalStateException if {@link #includeUniversal()} was called
     */
    public CircuitDiscovery universalPrompts(List<String> userMessages) {
        List<Prompt> prompts = chat(userMessages, "universal");
        if (prompts.isEmpty()) throw new IllegalArgumentException("the universal prompt set is empty");
        universalOn("universalPrompts(" + prompts.size() + " prompts)");
        this.universalPrompts = prompts;
        this.excludeUniversal = true;
        return this;
    }

    /**
     * The universal filter's "top of all activations" fraction, in (0, 1].
     *
     * @throws IllegalStateException if {@link #includeUniversal()} was called
     */
    public CircuitDiscovery universalTopFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("universalTopFraction must be in (0, 1], got " + fraction);
        }
        universalOn("universalTopFraction(" + fraction + ")");
        this.universalTopFraction = fraction;
        return this;
    }

    /**
     * The share of diverse prompts on which a universal neuron is in the top, in (0, 1].
     *
     * @throws IllegalStateException if {@link #includeUniversal()} was called
     */
    public CircuitDiscovery universalPrevalence(double prevalence) {
        if (!(prevalence > 0 && prevalence <= 1)) {
            throw new IllegalArgumentException("universalPrevalence must be in (0, 1], got " + prevalence);
        }
        universalOn("universalPrevalence(" + prevalence + ")");
        this.universalPrevalence = prevalence;
        return this;
    }

    /**
     * Never picks neurons of these layers (adds to earlier calls).
     *
     * @throws IllegalArgumentException for a layer outside {@code [0, layers)}
     */
    public CircuitDiscovery excludeLayers(int... layers) {
        for (int l : layers) {
            if (l < 0 || l >= info.layers()) {
                throw new IllegalArgumentException("cannot exclude layer " + l + ": " + info.name() + " has layers 0.."
                        + (info.layers() - 1));
            }
            excludedLayers.add(l);
        }
        if (excludedLayers.size() == info.layers()) {
            throw new IllegalArgumentException("all " + info.layers() + " layers are excluded");
        }
        return this;
    }

    /** Takes the top-k within each (non-excluded) layer instead of across all layers. */
    public CircuitDiscovery perLayer() {
        this.perLayer = true;
        return this;
    }

    /** Threads running prompts, >= 1 (default 1). The circuit is identical for any count. */
    public CircuitDiscovery threads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        return this;
    }

    /**
     * Runs the {@code threads} shares of each stage on {@code executor} instead of a pool of cna4j's own
     * (see the table above). cna4j never shuts it down; the circuit does not depend on it.
     */
    public CircuitDiscovery executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Returns a circuit even when the prompt sets show no contrast (see {@link #NO_CONTRAST_RELATIVE}); the
     * circuit is then marked ({@link Circuit#noContrast()}, {@code "noContrast": true} in its file). Without
     * this, {@link #run()} refuses such a contrast.
     */
    public CircuitDiscovery allowNoContrast() {
        this.allowNoContrast = true;
        return this;
    }

    /** Receives progress once per prompt. */
    public CircuitDiscovery onProgress(ProgressListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Runs the prompts and builds the circuit: {@link #finish(DiscoverySnapshot) finish}({@link #collect()}).
     *
     * @throws IllegalStateException if a prompt set is empty, fewer candidates than k remain, the prompt sets
     *         show no contrast (unless {@link #allowNoContrast()}), or the model produced an out-of-range
     *         activation (the message names the prompt and layer)
     * @throws io.cna4j.model.NonFiniteActivationException if the model produced a NaN or infinite value
     */
    public Circuit run() {
        if (positive.isEmpty()) throw new IllegalStateException("no positive prompts: call positive(...) with at least one prompt");
        if (negative.isEmpty()) throw new IllegalStateException("no negative prompts: call negative(...) with at least one prompt");
        k();   // fail on a bad size before running any prompt
        return finish(collect());
    }

    /**
     * Runs the prompts (universal, then positive, then negative) and returns what discovery keeps of them.
     * Either prompt set may be empty here (a shard of a larger job); {@link #finish} needs both in the end.
     *
     * @throws IllegalStateException if the model produced an out-of-range activation (the message names the
     *         prompt and layer)
     * @throws io.cna4j.model.NonFiniteActivationException if the model produced a NaN or infinite value
     */
    public DiscoverySnapshot collect() {
        return collect(model, snapshotSettings(), excludeUniversal ? diversePrompts() : List.of(), positive, negative, threads,
                executor, listener);
    }

    /**
     * Splits this discovery's prompts into at most {@code count} self-contained, serialisable shards: shard
     * {@code i} holds the {@code i}-th contiguous part of each prompt set (the universal filter's too) and the
     * collection settings. Collect each anywhere ({@link DiscoveryShard#collect}), add the snapshots and
     * {@link #finish} them: the circuit equals {@link #run()}. Shards without prompts are left out.
     *
     * @throws IllegalArgumentException if {@code count < 1}
     * @throws IllegalStateException if the positive or negative prompts are missing
     */
    public List<DiscoveryShard> shards(int count) {
        if (count < 1) throw new IllegalArgumentException("shard count must be >= 1, got " + count);
        if (positive.isEmpty()) throw new IllegalStateException("no positive prompts: call positive(...) with at least one prompt");
        if (negative.isEmpty()) throw new IllegalStateException("no negative prompts: call negative(...) with at least one prompt");
        k();
        List<Prompt> diverse = excludeUniversal ? diversePrompts() : List.of();
        DiscoverySnapshot.Settings settings = snapshotSettings();
        List<DiscoveryShard> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<Prompt> p = part(positive, i, count), n = part(negative, i, count), u = part(diverse, i, count);
            if (p.isEmpty() && n.isEmpty() && u.isEmpty()) continue;
            shards.add(new DiscoveryShard(shards.size(), info.fingerprint(), settings, p, n, u));
        }
        return List.copyOf(shards);
    }

    /** The model this discovery runs on. */
    public ModelInfo modelInfo() {
        return info;
    }

    /** Prompts that {@link #collect()} runs: universal (when the filter is on), positive and negative. */
    public int promptCount() {
        return (excludeUniversal ? diversePrompts().size() : 0) + positive.size() + negative.size();
    }

    private static List<Prompt> part(List<Prompt> prompts, int i, int count) {
        return prompts.subList((int) ((long) prompts.size() * i / count), (int) ((long) prompts.size() * (i + 1) / count));
    }

    /** Runs the given prompt sets (universal only when the settings' filter is on) into one snapshot. */
    static DiscoverySnapshot collect(SteerableModel model, DiscoverySnapshot.Settings settings, List<Prompt> diverse,
            List<Prompt> positive, List<Prompt> negative, int threads, @Nullable Executor executor, ProgressListener listener) {
        ModelInfo info = model.info();
        int total = FlatNeuronIndex.mlpNeurons(info).size();
        try (PromptRunner runner = new PromptRunner(model, threads, executor, LastTokenRecorder.Site.MLP_ACTIVATION)) {
            TopActivationCounter universal = null;
            if (settings.universalFilter()) {
                universal = runner.reduce("universal", diverse, new ProgressTracker("universal", diverse.size(), listener),
                        () -> new TopActivationCounter(total, settings.universalTopCount()), TopActivationCounter::add,
                        TopActivationCounter::merge);
            }
            NeuronSums pos = runner.reduce("positive", positive, new ProgressTracker("positive", positive.size(), listener),
                    () -> NeuronSums.vector(total), NeuronSums::add, NeuronSums::merge);
            NeuronSums neg = runner.reduce("negative", negative, new ProgressTracker("negative", negative.size(), listener),
                    () -> NeuronSums.vector(total), NeuronSums::add, NeuronSums::merge);
            return new DiscoverySnapshot(info, settings, pos, neg, universal);
        }
    }

    /**
     * Builds the circuit from a snapshot of this discovery's prompts (one {@link #collect()}, or the
     * {@link DiscoverySnapshot#plus sum} of several over shards): takes {@code mu = mean(positive) -
     * mean(negative)} per neuron, removes universal neurons and excluded layers, and keeps the top-k. Where
     * this builder was given prompts, the snapshot must hold exactly that many of each set.
     *
     * @throws IllegalArgumentException if the snapshot comes from another model or other collection settings
     * @throws IllegalStateException if the snapshot lacks positive or negative prompts, holds another number of
     *         prompts than this builder was given, fewer candidates than k remain, or the prompt sets show no
     *         contrast (unless {@link #allowNoContrast()})
     */
    public Circuit finish(DiscoverySnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (!snapshot.model().fingerprint().equals(info.fingerprint()) || !snapshot.model().equals(info)) {
            throw new IllegalArgumentException("the snapshot was collected on " + snapshot.model().name() + " (fingerprint "
                    + snapshot.model().fingerprint() + "), this discovery runs on " + info.name() + " (fingerprint "
                    + info.fingerprint() + ")");
        }
        List<String> differences = snapshotSettings().differences(snapshot.settings());
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("the snapshot was collected with other settings (this discovery vs the snapshot): "
                    + String.join(", ", differences));
        }
        int nPositive = Math.toIntExact(snapshot.positiveCount());
        int nNegative = Math.toIntExact(snapshot.negativeCount());
        int nUniversal = Math.toIntExact(snapshot.universalCount());
        if (nPositive == 0) throw new IllegalStateException("no positive prompts in the snapshot: collect at least one");
        if (nNegative == 0) throw new IllegalStateException("no negative prompts in the snapshot: collect at least one");
        requireCount("positive", nPositive, positive.size());
        requireCount("negative", nNegative, negative.size());
        if (excludeUniversal) {
            int expected = diversePrompts().size();
            if (nUniversal != expected) {
                throw new IllegalStateException("the snapshot holds " + nUniversal + " prompts of the universal filter, but this "
                        + "discovery has " + expected + "; was a shard lost?");
            }
        }
        int k = k();
        double[] meanPos = snapshot.positive().means();
        double[] meanNeg = snapshot.negative().means();
        double[] mu = new double[index.size()];
        for (int j = 0; j < mu.length; j++) mu[j] = meanPos[j] - meanNeg[j];

        int[] universal = new int[0];
        TopActivationCounter counts = snapshot.universal();
        if (counts != null) universal = counts.prevalentAtLeast(universalPrevalence);
        boolean[] excludedLayer = new boolean[info.layers()];
        for (int l : excludedLayers) excludedLayer[l] = true;
        boolean[] eligible = new boolean[index.size()];
        for (int j = 0; j < eligible.length; j++) eligible[j] = !excludedLayer[index.layer(j)];
        for (int j : universal) eligible[j] = false;

        boolean noContrast = noContrast(mu, meanPos, meanNeg, eligible);
        if (noContrast && !allowNoContrast) {
            throw new IllegalStateException("no contrast: the positive and negative prompts give the same mean activations "
                    + "(every |mu| <= " + NO_CONTRAST_RELATIVE + " x the mean activation magnitude) on " + nPositive
                    + " positive and " + nNegative + " negative prompts; are the two sets the same? "
                    + "(allowNoContrast() keeps such a circuit, marked as having no contrast)");
        }
        TopKSelector selector = new TopKSelector(mu, eligible, index);
        int[] picked = perLayer ? selector.perLayer(k, excludedLayer) : selector.global(k);
        List<CircuitNeuron> neurons = new ArrayList<>(picked.length);
        for (int r = 0; r < picked.length; r++) {
            int j = picked[r];
            neurons.add(new CircuitNeuron(index.id(j), r + 1, mu[j], meanPos[j], meanNeg[j]));
        }
        List<NeuronId> removed = new ArrayList<>(universal.length);
        for (int j : universal) removed.add(index.id(j));

        DiscoverySettings settings = new DiscoverySettings(topFraction, k, perLayer, List.copyOf(excludedLayers),
                excludeUniversal, universalTopFraction, universalPrevalence, universalPrompts == null);
        PromptCounts promptCounts = new PromptCounts(nPositive, nNegative, nUniversal);
        return new Circuit(info, neurons, removed, settings, promptCounts, noContrast, null);
    }

    /** The collection settings of this discovery, as a snapshot records them. */
    private DiscoverySnapshot.Settings snapshotSettings() {
        return new DiscoverySnapshot.Settings(excludeUniversal, universalTopFraction,
                atLeastOne(universalTopFraction, index.size()), universalPrompts == null);
    }

    private List<Prompt> diversePrompts() {
        return universalPrompts != null ? universalPrompts : UniversalPrompts.defaults().stream().map(Prompt::chat).toList();
    }

    private static void requireCount(String set, int inSnapshot, int given) {
        if (given > 0 && inSnapshot != given) {
            throw new IllegalStateException("the snapshot holds " + inSnapshot + " " + set + " prompts, but this discovery was given "
                    + given + "; was a shard lost or counted twice?");
        }
    }

    /** Whether every eligible {@code |mu|} is within {@link #NO_CONTRAST_RELATIVE} of the mean activation magnitude. */
    static boolean noContrast(double[] mu, double[] meanPos, double[] meanNeg, boolean[] eligible) {
        double maxMu = 0, scale = 0;
        int n = 0;
        for (int j = 0; j < mu.length; j++) {
            if (!eligible[j]) continue;
            maxMu = Math.max(maxMu, Math.abs(mu[j]));
            scale += (Math.abs(meanPos[j]) + Math.abs(meanNeg[j])) / 2;
            n++;
        }
        return n > 0 && maxMu <= NO_CONTRAST_RELATIVE * (scale / n);
    }

    /** The number of neurons to keep (in all, or per layer). */
    private int k() {
        int pool = perLayer ? info.neuronsPerLayer() : Math.toIntExact(info.totalNeurons());
        if (topFraction != null) return atLeastOne(topFraction, pool);
        if (topK > pool) {
            throw new IllegalStateException("topK " + topK + " is larger than the " + pool + " neurons of each layer (perLayer)");
        }
        return topK;
    }

    /** ceil(fraction * n), at least 1; the epsilon absorbs decimal fractions' binary error (0.001 * 3000). */
    static int atLeastOne(double fraction, int n) {
        return (int) Math.max(1, Math.ceil(fraction * n - 1e-9));
    }

    private static List<Prompt> chat(List<String> userMessages, String what) {
        Objects.requireNonNull(userMessages, what + " prompts");
        List<Prompt> out = new ArrayList<>(userMessages.size());
        for (int i = 0; i < userMessages.size(); i++) {
            String text = userMessages.get(i);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException(what + " prompt #" + i + " is null or blank");
            }
            out.add(Prompt.chat(text));
        }
        return List.copyOf(out);
    }

    private static List<Prompt> copy(List<Prompt> prompts, String what) {
        Objects.requireNonNull(prompts, what + " prompts");
        for (int i = 0; i < prompts.size(); i++) {
            if (prompts.get(i) == null) throw new IllegalArgumentException(what + " prompt #" + i + " is null");
        }
        return List.copyOf(prompts);
    }
}
