package io.cna4j.circuit;

import io.cna4j.model.NeuronMultipliers;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import io.cna4j.model.SteerableModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A circuit: the MLP neurons whose last-token activation differs most between prompts that show a
 * behaviour and prompts that do not, ranked by {@code |mu|}, with the model it belongs to and how it was
 * found. Immutable.
 *
 * <p>Get one from {@link #discover} or {@link #load(Path)}; use it to steer ({@link #steer},
 * {@link #steerPositive}), save it ({@link #save}) and analyse it ({@link #analysis()},
 * {@link CircuitOverlap#of}).
 *
 * {@snippet class=io.cna4j.circuit.Snippets region="circuit-lifecycle"}
 */
public final class Circuit {
    private final ModelInfo model;
    private final List<CircuitNeuron> neurons;
    private final List<NeuronId> universalRemoved;
    private final DiscoverySettings settings;
    private final PromptCounts prompts;
    private final Set<NeuronId> ids;
    private final boolean noContrast;
    private final @Nullable RecommendedSetting recommended;

    Circuit(ModelInfo model, List<CircuitNeuron> neurons, List<NeuronId> universalRemoved,
            DiscoverySettings settings, PromptCounts prompts) {
        this(model, neurons, universalRemoved, settings, prompts, false, null);
    }

    Circuit(ModelInfo model, List<CircuitNeuron> neurons, List<NeuronId> universalRemoved,
            DiscoverySettings settings, PromptCounts prompts, boolean noContrast, @Nullable RecommendedSetting recommended) {
        this.noContrast = noContrast;
        this.recommended = recommended;
        this.model = Objects.requireNonNull(model, "model");
        this.neurons = List.copyOf(neurons);
        this.universalRemoved = List.copyOf(universalRemoved);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        if (this.neurons.isEmpty()) throw new IllegalArgumentException("a circuit needs at least one neuron");
        Set<NeuronId> seen = new HashSet<>();
        for (int i = 0; i < this.neurons.size(); i++) {
            CircuitNeuron n = this.neurons.get(i);
            requireInModel(n.id());
            if (n.rank() != i + 1) {
                throw new IllegalArgumentException("neuron " + n.id() + " has rank " + n.rank() + " at position " + (i + 1));
            }
            if (!seen.add(n.id())) throw new IllegalArgumentException("neuron " + n.id() + " appears twice");
        }
        this.universalRemoved.forEach(this::requireInModel);
        this.ids = Set.copyOf(seen);
    }

    private void requireInModel(NeuronId id) {
        if (id.layer() >= model.layers() || id.neuron() >= model.neuronsPerLayer()) {
            throw new IllegalArgumentException(id + " is outside " + model.name() + " (" + model.layers()
                    + " layers of " + model.neuronsPerLayer() + " neurons)");
        }
    }

    /** Starts discovering a circuit on {@code model}; see {@link CircuitDiscovery} for the options. */
    public static CircuitDiscovery discover(SteerableModel model) {
        return new CircuitDiscovery(model);
    }

    /**
     * Reads a circuit file written by {@link #save}.
     *
     * @throws CircuitFileException if the file is a directory, truncated, not a circuit, of an unknown schema
     *         version or misses a field (the message names the file)
     */
    public static Circuit load(Path file) throws IOException {
        return CircuitFiles.read(file);
    }

    /**
     * Reads a circuit file and checks that it belongs to {@code expected}.
     *
     * @throws ModelMismatchException if the file's model fingerprint differs (the message names both models)
     */
    public static Circuit load(Path file, ModelInfo expected) throws IOException {
        Circuit c = CircuitFiles.read(file);
        if (!c.model.fingerprint().equals(expected.fingerprint())) {
            throw new ModelMismatchException("circuit file " + file + " was discovered on " + c.model.name()
                    + " (fingerprint " + c.model.fingerprint() + "), not on " + expected.name() + " (fingerprint "
                    + expected.fingerprint() + ")");
        }
        return c;
    }

    /**
     * Writes this circuit as JSON, atomically: a temporary file in the same folder is moved over
     * {@code file}, so an existing file is either fully replaced or left as it was.
     */
    public void save(Path file) throws IOException {
        CircuitFiles.write(this, file);
    }

    /**
     * Whether discovery found no contrast between the positive and negative prompts (see
     * {@link CircuitDiscovery#allowNoContrast()}): the neurons were then picked by tie-break, not by signal.
     * Recorded in the file as {@code "noContrast"}; files without that field read as false.
     */
    public boolean noContrast() {
        return noContrast;
    }

    /** The model the circuit was discovered on. */
    public ModelInfo model() {
        return model;
    }

    /** The neurons, best ({@code rank 1}) first. */
    public List<CircuitNeuron> neurons() {
        return neurons;
    }

    /** Number of neurons. */
    public int size() {
        return neurons.size();
    }

    /** The neurons' addresses. */
    public Set<NeuronId> neuronIds() {
        return ids;
    }

    /** Whether {@code id} is in the circuit. */
    public boolean contains(NeuronId id) {
        return ids.contains(id);
    }

    /** The universal neurons the filter removed from the candidates (ascending); empty when it was off. */
    public List<NeuronId> universalNeuronsRemoved() {
        return universalRemoved;
    }

    /** How the circuit was discovered. */
    public DiscoverySettings settings() {
        return settings;
    }

    /** How many prompts it was discovered from. */
    public PromptCounts prompts() {
        return prompts;
    }

    /**
     * The intervention that multiplies every circuit neuron's activation by {@code multiplier} at every
     * position, prompt and generated tokens alike: 0 ablates, 1 changes nothing (outputs stay
     * bit-identical), above 1 amplifies, negative values flip the sign.
     *
     * <p>Every call checks the neurons against the model it runs on
     * ({@link NeuronMultipliers#requireFits}): a neuron the model lacks (a circuit loaded without model
     * info and applied to a smaller model) is an {@link IllegalArgumentException}, never silently skipped.
     *
     * @throws IllegalArgumentException if the multiplier is NaN or infinite
     */
    public NeuronMultipliers steer(float multiplier) {
        return NeuronMultipliers.of(neuronIds(), multiplier);
    }

    /** Like {@link #steer} but only for the neurons more active on the positive prompts ({@code mu > 0}). */
    public NeuronMultipliers steerPositive(float multiplier) {
        return NeuronMultipliers.of(neurons.stream().filter(CircuitNeuron::isPositive).map(CircuitNeuron::id).toList(), multiplier);
    }

    /** Like {@link #steer} but only for the neurons more active on the negative prompts ({@code mu < 0}). */
    public NeuronMultipliers steerNegative(float multiplier) {
        return NeuronMultipliers.of(neurons.stream().filter(n -> n.mu() < 0).map(CircuitNeuron::id).toList(), multiplier);
    }

    /**
     * Every circuit neuron mapped to {@code multiplier}, in rank order: the input of
     * {@link NeuronMultipliers#of(Map)} after per-neuron edits, or of weight baking
     * ({@code io.cna4j.jlama.SteeringExport}).
     */
    public Map<NeuronId, Float> multipliers(float multiplier) {
        Map<NeuronId, Float> m = new LinkedHashMap<>();
        for (CircuitNeuron n : neurons) m.put(n.id(), multiplier);
        return m;
    }

    // --- tuning: prefixes of the ranking and a recommended multiplier (issue 17) ---

    /**
     * The circuit of this ranking's best {@code k} neurons: exactly what {@code discover(...).topK(k)} with
     * the same prompts and options returns (neurons, mu, settings with {@code topFraction} null and
     * {@code k}), without running a prompt, since a global top-k is a prefix of the {@code |mu|} order. To
     * tune the size, discover once with the largest size of interest and take prefixes. A recommendation is
     * not carried over.
     *
     * {@snippet class=io.cna4j.circuit.Snippets region="prefix"}
     *
     * @throws IllegalArgumentException unless {@code 1 <= k <= size()}
     * @throws IllegalStateException for a per-layer circuit, whose top-k is not a prefix
     */
    public Circuit prefix(int k) {
        if (k < 1 || k > neurons.size()) {
            throw new IllegalArgumentException("prefix size must be in [1, " + neurons.size() + "], got " + k);
        }
        if (settings.perLayer()) {
            throw new IllegalStateException("a per-layer circuit's top-k is not a prefix of its ranking; discover it globally");
        }
        DiscoverySettings s = new DiscoverySettings(null, k, false, settings.excludedLayers(), settings.excludeUniversal(),
                settings.universalTopFraction(), settings.universalPrevalence(), settings.defaultUniversalPrompts());
        return new Circuit(model, neurons.subList(0, k), universalRemoved, s, prompts, noContrast, null);
    }

    /** This circuit with {@code setting} recorded as its recommended multiplier (saved in its file). */
    public Circuit withRecommendation(RecommendedSetting setting) {
        return new Circuit(model, neurons, universalRemoved, settings, prompts, noContrast, Objects.requireNonNull(setting, "setting"));
    }

    /** The recommended multiplier with its justifying numbers, when a tuner recorded one. */
    public Optional<RecommendedSetting> recommendation() {
        return Optional.ofNullable(recommended);
    }

    /** Per-layer counts and depth shares of this circuit. */
    public CircuitAnalysis analysis() {
        return CircuitAnalysis.of(this);
    }

    /** The neurons with their {@code mu}, in rank order. */
    public Map<NeuronId, Double> mus() {
        Map<NeuronId, Double> m = new LinkedHashMap<>();
        for (CircuitNeuron n : neurons) m.put(n.id(), n.mu());
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Circuit c && model.equals(c.model) && neurons.equals(c.neurons)
                && universalRemoved.equals(c.universalRemoved) && settings.equals(c.settings) && prompts.equals(c.prompts)
                && noContrast == c.noContrast
                && Objects.equals(recommended, c.recommended);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, neurons, universalRemoved, settings, prompts, recommended);
    }

    @Override
    public String toString() {
        return "Circuit[" + neurons.size() + " neurons of " + model.name() + ", " + prompts.positive() + " positive / "
                + prompts.negative() + " negative prompts]";
    }
}
