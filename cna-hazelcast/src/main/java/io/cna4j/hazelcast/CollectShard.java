package io.cna4j.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.topic.ITopic;
import io.cna4j.circuit.DiscoveryShard;
import io.cna4j.circuit.DiscoverySnapshot;
import io.cna4j.model.ModelSource;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs on a member: collects one shard on the member's model (opened once per JVM) and returns its snapshot,
 * publishing a {@link ShardProgress} on the job's topic after each prompt.
 */
final class CollectShard implements Callable<ShardResult>, Serializable, HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;
    private final ModelSource source;
    private final DiscoveryShard shard;
    private final String progressTopic;
    private final int attempt;
    private transient HazelcastInstance hz;

    CollectShard(ModelSource source, DiscoveryShard shard, String progressTopic, int attempt) {
        this.source = Objects.requireNonNull(source, "source");
        this.shard = Objects.requireNonNull(shard, "shard");
        this.progressTopic = Objects.requireNonNull(progressTopic, "progressTopic");
        this.attempt = attempt;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hz) {
        this.hz = hz;
    }

    @Override
    public ShardResult call() {
        String member = MemberReport.addressOf(hz.getCluster().getLocalMember());
        ITopic<ShardProgress> topic = hz.getTopic(progressTopic);
        AtomicInteger done = new AtomicInteger();
        DiscoverySnapshot snapshot;
        try {
            snapshot = shard.collect(MemberModels.get(source),
                    p -> topic.publishAsync(new ShardProgress(shard.index(), attempt, done.incrementAndGet())));
        } catch (RuntimeException e) {
            throw new IllegalStateException("member " + member + ", shard " + shard.index() + ": " + e.getMessage(), e);
        }
        return new ShardResult(member, Cna4jVersion.get(), snapshot.toBytes());
    }
}
