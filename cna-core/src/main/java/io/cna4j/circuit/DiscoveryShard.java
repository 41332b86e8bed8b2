package io.cna4j.circuit;

import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.progress.ProgressListener;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One self-contained piece of a discovery's prompt collection, made by {@link CircuitDiscovery#shards(int)}:
 * a contiguous part of each prompt set, the collection settings and the fingerprint of the model it must run
 * on. Serialisable (Java serialisation; prompts and settings are records), so an engine can ship it to another
 * process or machine, {@link #collect} it there on a model opened from a {@link io.cna4j.model.ModelSource},
 * and send the {@link DiscoverySnapshot} back ({@link DiscoverySnapshot#toBytes}).
 *
 * {@snippet :
 * CircuitDiscovery discovery = Circuit.discover(model).positive(harmful).negative(benign).topK(46);
 * DiscoverySnapshot total = null;
 * for (DiscoveryShard shard : discovery.shards(4)) {          // on any machines, in any order
 *     DiscoverySnapshot s = shard.collect(model, ProgressListener.NONE);
 *     total = total == null ? s : total.plus(s);
 * }
 * Circuit circuit = discovery.finish(total);                    // equals discovery.run(), bit for bit
 * }
 *
 * @param index            position among the discovery's shards, from 0
 * @param modelFingerprint the fingerprint of the model the prompts must run on
 * @param settings         the collection settings shared by every shard of the discovery
 * @param positive         this shard's positive prompts (may be empty)
 * @param negative         this shard's negative prompts (may be empty)
 * @param universal        this shard's prompts of the universal filter (empty when the filter is off)
 */
public record DiscoveryShard(int index, String modelFingerprint, DiscoverySnapshot.Settings settings, List<Prompt> positive,
        List<Prompt> negative, List<Prompt> universal) implements Serializable {
    private static final long serialVersionUID = 1L;

    public DiscoveryShard {
        if (index < 0) throw new IllegalArgumentException("shard index must be >= 0, got " + index);
        Objects.requireNonNull(modelFingerprint, "modelFingerprint");
        Objects.requireNonNull(settings, "settings");
        positive = List.copyOf(positive);
        negative = List.copyOf(negative);
        universal = List.copyOf(universal);
        if (!settings.universalFilter() && !universal.isEmpty()) {
            throw new IllegalArgumentException("shard " + index + " has universal prompts but the universal filter is off");
        }
    }

    /** The prompts this shard runs, all sets together. */
    public int promptCount() {
        return positive.size() + negative.size() + universal.size();
    }

    /**
     * Runs this shard's prompts on {@code model} (one thread) and returns their snapshot; {@code listener} hears
     * each prompt (stages {@code "universal"}, {@code "positive"}, {@code "negative"}, totals of this shard).
     *
     * @throws ModelMismatchException if {@code model}'s fingerprint is not the shard's
     */
    public DiscoverySnapshot collect(SteerableModel model, ProgressListener listener) {
        Objects.requireNonNull(listener, "listener");
        String fingerprint = model.info().fingerprint();
        if (!fingerprint.equals(modelFingerprint)) {
            throw new ModelMismatchException("shard " + index + " belongs to the model with fingerprint " + modelFingerprint
                    + ", but " + model.info().name() + " has fingerprint " + fingerprint);
        }
        return CircuitDiscovery.collect(model, settings, universal, positive, negative, 1, null, listener);
    }

    @Override
    public String toString() {
        return "DiscoveryShard[" + index + ": " + positive.size() + " positive, " + negative.size() + " negative, "
                + universal.size() + " universal prompts]";
    }
}
