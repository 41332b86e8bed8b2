package io.cna4j.hazelcast;

import io.cna4j.model.ModelSource;
import io.cna4j.model.SteerableModel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The models this JVM has opened for cluster work, one per {@link ModelSource}: the first task that needs a
 * source opens it, later tasks (of any job, on any member embedded in this JVM) reuse it. Models stay open
 * until the JVM ends; a worker serves one model in practice.
 */
final class MemberModels {
    private static final ConcurrentMap<ModelSource, SteerableModel> OPEN = new ConcurrentHashMap<>();

    private MemberModels() {}

    /** The model of {@code source}, opened on first use (concurrent first uses wait for one load). */
    static SteerableModel get(ModelSource source) {
        return OPEN.computeIfAbsent(source, ModelSource::open);
    }
}
