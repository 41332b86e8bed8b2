package io.cna4j.circuit;

import io.cna4j.circuit.reduce.NeuronSums;
import io.cna4j.circuit.reduce.TopActivationCounter;
import io.cna4j.model.ModelInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything circuit discovery keeps from its prompts, frozen: the exact per-neuron sums of the positive and
 * the negative prompts' last-token MLP activations ({@link NeuronSums}), the universal filter's counts
 * ({@link TopActivationCounter}), hence the prompt counts, plus the model and the settings that must agree
 * for two snapshots to be added. {@link CircuitDiscovery#collect()} makes one from prompts,
 * {@link CircuitDiscovery#finish(DiscoverySnapshot)} turns one into a {@link Circuit}.
 *
 * <p>Snapshots are immutable and add like Caffeine's {@code CacheStats.plus}: {@link #plus} is exact, so
 * snapshots of disjoint prompt shards, added in any order and grouping, equal bit for bit the snapshot of one
 * collection over all the prompts. That is what lets discovery run on several threads, processes or machines.
 *
 * <p><b>Serialised form</b> ({@link #writeTo}, {@link #readFrom}; big-endian, {@link java.io.DataOutput}):
 * the 8 ASCII bytes {@code CNA4JSNP}; {@code int} format version ({@link #FORMAT_VERSION}); the model
 * (modified-UTF-8 name, architecture, then {@code int} layers, neurons per layer, hidden size, vocabulary
 * size, context length, then the fingerprint); the settings ({@code boolean} universal filter, {@code double}
 * universal top fraction, {@code int} universal top count, {@code boolean} default universal prompts); the
 * positive then the negative sums ({@link NeuronSums#writeTo}); {@code boolean} whether a universal counter
 * follows, then the counter ({@link TopActivationCounter#writeTo}). Doubles are written as their IEEE bits,
 * so a round trip is bit-exact. A reader refuses other versions, a wrong magic, sizes that disagree with the
 * model, and trailing bytes. About 16 bytes per MLP neuron (plus 4 with the universal filter).
 *
 * {@snippet class=io.cna4j.circuit.Snippets region="snapshot-shards"}
 */
public final class DiscoverySnapshot {
    /** The version of the serialised form written by this class. */
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "CNA4JSNP".getBytes(StandardCharsets.US_ASCII);

    /**
     * The collection settings two snapshots must share to be added: they decide what was recorded.
     *
     * @param universalFilter          whether the universal filter's prompts were counted
     * @param universalTopFraction     the filter's "top of all activations" fraction
     * @param universalTopCount        the neurons that fraction makes, of the model's MLP neurons
     * @param defaultUniversalPrompts  whether the filter's prompts are the shipped set
     */
    public record Settings(boolean universalFilter, double universalTopFraction, int universalTopCount,
            boolean defaultUniversalPrompts) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Settings {
            if (!(universalTopFraction > 0 && universalTopFraction <= 1)) {
                throw new IllegalArgumentException("universalTopFraction must be in (0, 1], got " + universalTopFraction);
            }
            if (universalTopCount < 1) throw new IllegalArgumentException("universalTopCount must be >= 1, got " + universalTopCount);
        }

        /** The fields that differ from {@code other}, e.g. {@code "universalTopFraction 0.001 vs 0.002"}; empty when equal. */
        List<String> differences(Settings other) {
            List<String> d = new ArrayList<>();
            if (universalFilter != other.universalFilter) d.add("universalFilter " + universalFilter + " vs " + other.universalFilter);
            if (Double.compare(universalTopFraction, other.universalTopFraction) != 0) {
                d.add("universalTopFraction " + universalTopFraction + " vs " + other.universalTopFraction);
            }
            if (universalTopCount != other.universalTopCount) d.add("universalTopCount " + universalTopCount + " vs " + other.universalTopCount);
            if (defaultUniversalPrompts != other.defaultUniversalPrompts) {
                d.add("defaultUniversalPrompts " + defaultUniversalPrompts + " vs " + other.defaultUniversalPrompts);
            }
            return d;
        }
    }

    private final ModelInfo model;
    private final Settings settings;
    private final NeuronSums positive;
    private final NeuronSums negative;
    private final @Nullable TopActivationCounter universal;

    /** Takes ownership of the accumulators: nobody may change them afterwards. */
    DiscoverySnapshot(ModelInfo model, Settings settings, NeuronSums positive, NeuronSums negative,
            @Nullable TopActivationCounter universal) {
        this.model = Objects.requireNonNull(model, "model");
        this.settings = Objects.requireNonNull(settings, "settings");
        int total = FlatNeuronIndex.mlpNeurons(model).size();
        if (positive.width() != total || negative.width() != total) {
            throw new IllegalArgumentException("sums of " + positive.width() + " and " + negative.width() + " neurons for "
                    + model.name() + ", which has " + total + " MLP neurons");
        }
        if ((universal != null) != settings.universalFilter()) {
            throw new IllegalArgumentException("a universal counter must be present exactly when the universal filter is on ("
                    + settings.universalFilter() + ")");
        }
        if (universal != null && (universal.width() != total || universal.topCount() != settings.universalTopCount())) {
            throw new IllegalArgumentException("universal counter of width " + universal.width() + ", top " + universal.topCount()
                    + " does not match " + total + " neurons, top " + settings.universalTopCount());
        }
        this.positive = positive;
        this.negative = negative;
        this.universal = universal;
    }

    /** The snapshot of no prompts: the neutral element of {@link #plus}. */
    public static DiscoverySnapshot empty(ModelInfo model, Settings settings) {
        int total = FlatNeuronIndex.mlpNeurons(model).size();
        return new DiscoverySnapshot(model, settings, NeuronSums.vector(total), NeuronSums.vector(total),
                settings.universalFilter() ? new TopActivationCounter(total, settings.universalTopCount()) : null);
    }

    /** The model the prompts ran on. */
    public ModelInfo model() {
        return model;
    }

    /** The collection settings. */
    public Settings settings() {
        return settings;
    }

    /** Positive prompts collected. */
    public long positiveCount() {
        return positive.count();
    }

    /** Negative prompts collected. */
    public long negativeCount() {
        return negative.count();
    }

    /** Prompts of the universal filter collected (0 when the filter is off). */
    public long universalCount() {
        return universal == null ? 0 : universal.samples();
    }

    NeuronSums positive() {
        return positive;
    }

    NeuronSums negative() {
        return negative;
    }

    @Nullable TopActivationCounter universal() {
        return universal;
    }

    /**
     * The snapshot of both prompt collections, exactly; neither operand changes. Associative and commutative
     * bit for bit.
     *
     * @throws IllegalArgumentException if the two come from different models or settings (the message names
     *         the difference)
     * @throws IllegalStateException if a sum would hold more than {@link NeuronSums#MAX_COUNT} prompts
     */
    public DiscoverySnapshot plus(DiscoverySnapshot other) {
        requireCompatible(other);
        NeuronSums pos = positive.copy();
        pos.merge(other.positive);
        NeuronSums neg = negative.copy();
        neg.merge(other.negative);
        TopActivationCounter uni = null;
        if (universal != null) {
            uni = universal.copy();
            uni.merge(Objects.requireNonNull(other.universal));
        }
        return new DiscoverySnapshot(model, settings, pos, neg, uni);
    }

    private void requireCompatible(DiscoverySnapshot other) {
        if (!model.fingerprint().equals(other.model.fingerprint())) {
            throw new IllegalArgumentException("cannot add snapshots of different models: " + model.name() + " (fingerprint "
                    + model.fingerprint() + ") and " + other.model.name() + " (fingerprint " + other.model.fingerprint() + ")");
        }
        if (!model.equals(other.model)) {
            throw new IllegalArgumentException("cannot add snapshots of models with the same fingerprint but different info: "
                    + model + " and " + other.model);
        }
        List<String> d = settings.differences(other.settings);
        if (!d.isEmpty()) {
            throw new IllegalArgumentException("cannot add snapshots collected with different settings: " + String.join(", ", d));
        }
    }

    /** Writes the serialised form (see the class comment); the stream is flushed, not closed. */
    public void writeTo(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(model.name());
        out.writeUTF(model.architecture());
        out.writeInt(model.layers());
        out.writeInt(model.neuronsPerLayer());
        out.writeInt(model.hiddenSize());
        out.writeInt(model.vocabularySize());
        out.writeInt(model.contextLength());
        out.writeUTF(model.fingerprint());
        out.writeBoolean(settings.universalFilter());
        out.writeDouble(settings.universalTopFraction());
        out.writeInt(settings.universalTopCount());
        out.writeBoolean(settings.defaultUniversalPrompts());
        positive.writeTo(out);
        negative.writeTo(out);
        out.writeBoolean(universal != null);
        if (universal != null) universal.writeTo(out);
        out.flush();
    }

    /** The serialised form as bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads one snapshot written by {@link #writeTo}; reads exactly its bytes from {@code stream}.
     *
     * @throws IOException if the stream ends early, is not a snapshot, has another format version, or holds
     *         inconsistent sizes or sums (the message says which)
     */
    public static DiscoverySnapshot readFrom(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new IOException("not a cna4j discovery snapshot (wrong magic bytes)");
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException("discovery snapshot format version " + version + " is not supported (this cna4j reads "
                        + FORMAT_VERSION + ")");
            }
            ModelInfo model;
            Settings settings;
            try {
                String name = in.readUTF();
                String architecture = in.readUTF();
                int layers = in.readInt(), width = in.readInt(), hidden = in.readInt(), vocab = in.readInt(), context = in.readInt();
                model = new ModelInfo(name, architecture, layers, width, hidden, vocab, context, in.readUTF());
                settings = new Settings(in.readBoolean(), in.readDouble(), in.readInt(), in.readBoolean());
            } catch (IllegalArgumentException e) {
                throw new IOException("discovery snapshot: " + e.getMessage(), e);
            }
            NeuronSums pos = NeuronSums.readFrom(in, "positive sums");
            NeuronSums neg = NeuronSums.readFrom(in, "negative sums");
            TopActivationCounter uni = in.readBoolean() ? TopActivationCounter.readFrom(in) : null;
            try {
                return new DiscoverySnapshot(model, settings, pos, neg, uni);
            } catch (IllegalArgumentException e) {
                throw new IOException("discovery snapshot: " + e.getMessage(), e);
            }
        } catch (EOFException e) {
            throw new IOException("discovery snapshot is cut short", e);
        }
    }

    /**
     * Reads a snapshot from exactly {@code bytes}.
     *
     * @throws IOException as {@link #readFrom}, and if bytes follow the snapshot
     */
    public static DiscoverySnapshot fromBytes(byte[] bytes) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        DiscoverySnapshot s = readFrom(in);
        if (in.available() > 0) throw new IOException("discovery snapshot followed by " + in.available() + " extra bytes");
        return s;
    }

    /** Equal when model, settings, counts and every sum agree bit for bit. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DiscoverySnapshot s && model.equals(s.model) && settings.equals(s.settings)
                && positive.sameSumsAs(s.positive) && negative.sameSumsAs(s.negative)
                && (universal == null ? s.universal == null : s.universal != null && universal.sameCountsAs(s.universal));
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, settings, positive.count(), negative.count(), universalCount());
    }

    @Override
    public String toString() {
        return "DiscoverySnapshot[" + model.name() + ", " + positiveCount() + " positive, " + negativeCount() + " negative, "
                + universalCount() + " universal prompts]";
    }
}
