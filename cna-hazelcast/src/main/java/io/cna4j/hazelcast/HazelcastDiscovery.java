package io.cna4j.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import com.hazelcast.topic.ITopic;
import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.CircuitDiscovery;
import io.cna4j.circuit.DiscoveryShard;
import io.cna4j.circuit.DiscoverySnapshot;
import io.cna4j.model.ModelSource;
import io.cna4j.progress.Progress;
import io.cna4j.progress.ProgressListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link CircuitDiscovery} on a Hazelcast cluster: its prompts are cut into
 * {@link CircuitDiscovery#shards shards}, every data member opens the model from a {@link ModelSource} once per
 * JVM and collects the shards it is handed (one at a time per member, the next as soon as one is done), and the
 * caller adds the returned {@link DiscoverySnapshot}s exactly and {@link CircuitDiscovery#finish finishes}: the
 * circuit equals {@code discovery.run()} on one JVM bit for bit.
 *
 * <p>Before the job every member reports its cna4j version and the fingerprint of the model it opened; a member
 * that differs is refused with a message naming it. A member that leaves mid-job loses only the shards it was
 * working on: they go back to the queue and run on the remaining members, so the circuit is still the same. When
 * no member is left, or a shard fails on a member for any other reason, the job fails with that member's message;
 * no circuit is built from part of the prompts ({@code finish} also checks every prompt count). Progress reports
 * stage {@code "cluster"}: prompts done over all members / prompts of the job.
 *
 * <p>{@code hz} may be a member or a client ({@code HazelcastClient}); the caller owns it and shuts it down.
 * {@link ClusterConfigs} makes loopback-only configurations without multicast or phone-home.
 *
 * {@snippet :
 * ModelSource source = JlamaModelSource.of("/models/Llama-3.2-1B-Instruct");   // the path on every member
 * HazelcastInstance hz = HazelcastClient.newHazelcastClient(ClusterConfigs.client(List.of("10.0.0.5:5701")));
 * try (SteerableModel model = source.open()) {
 *     CircuitDiscovery discovery = Circuit.discover(model).positive(harmful).negative(benign).topK(46);
 *     Circuit circuit = HazelcastDiscovery.on(hz, source)
 *             .onProgress(p -> System.out.println(p.done() + "/" + p.total()))
 *             .run(discovery);
 * } finally {
 *     hz.shutdown();
 * }
 * }
 */
public final class HazelcastDiscovery {
    /** The Hazelcast executor service the shards run on. */
    public static final String EXECUTOR = "cna4j-discovery";
    /** Shards per member by default: small enough to rebalance and to lose little with a member. */
    public static final int DEFAULT_SHARDS_PER_MEMBER = 4;

    private final HazelcastInstance hz;
    private final ModelSource source;
    private int shardsPerMember = DEFAULT_SHARDS_PER_MEMBER;
    private ProgressListener listener = ProgressListener.NONE;

    private HazelcastDiscovery(HazelcastInstance hz, ModelSource source) {
        this.hz = Objects.requireNonNull(hz, "hz");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Discovery on the cluster of {@code hz}, whose members open the model from {@code source}. */
    public static HazelcastDiscovery on(HazelcastInstance hz, ModelSource source) {
        return new HazelcastDiscovery(hz, source);
    }

    /** Shards per data member at the job's start, >= 1 (default {@value #DEFAULT_SHARDS_PER_MEMBER}). */
    public HazelcastDiscovery shardsPerMember(int n) {
        if (n < 1) throw new IllegalArgumentException("shardsPerMember must be >= 1, got " + n);
        this.shardsPerMember = n;
        return this;
    }

    /** Hears prompts done over the whole cluster (stage {@code "cluster"}), from one thread at a time. */
    public HazelcastDiscovery onProgress(ProgressListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Collects on the cluster and finishes here: the circuit of {@code discovery}, as {@code discovery.run()}.
     *
     * @throws ClusterDiscoveryException if a member is refused or fails, or every member left
     * @throws IllegalStateException from {@link CircuitDiscovery#finish} (prompt counts, no contrast)
     */
    public Circuit run(CircuitDiscovery discovery) {
        return discovery.finish(collect(discovery));
    }

    /**
     * Collects all of {@code discovery}'s prompts on the cluster and returns their snapshot (the sum of the shards').
     *
     * @throws ClusterDiscoveryException if a member is refused or fails, or every member left
     */
    public DiscoverySnapshot collect(CircuitDiscovery discovery) {
        List<Member> members = dataMembers();
        checkMembers(discovery);
        List<DiscoveryShard> shards = discovery.shards(members.size() * shardsPerMember);
        int total = shards.stream().mapToInt(DiscoveryShard::promptCount).sum();
        String topicName = "cna4j-progress-" + UUID.randomUUID();
        ITopic<ShardProgress> topic = hz.getTopic(topicName);
        ClusterProgress progress = new ClusterProgress(total, listener);
        UUID registration = topic.addMessageListener(m -> progress.update(m.getMessageObject()));
        try {
            return new Job(discovery, shards, members, topicName, progress).run();
        } finally {
            topic.removeMessageListener(registration);
            topic.destroy();
        }
    }

    private List<Member> dataMembers() {
        List<Member> members = hz.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).toList();
        if (members.isEmpty()) throw new ClusterDiscoveryException("the cluster has no data member to run discovery on");
        return members;
    }

    private void checkMembers(CircuitDiscovery discovery) {
        IExecutorService executor = hz.getExecutorService(EXECUTOR);
        Map<Member, Future<MemberReport>> reports = executor.submitToAllMembers(new MemberCheck(source));
        List<String> refused = new ArrayList<>();
        for (Map.Entry<Member, Future<MemberReport>> e : reports.entrySet()) {
            if (e.getKey().isLiteMember()) continue;
            MemberReport r;
            try {
                r = e.getValue().get();
            } catch (ExecutionException ex) {
                throw new ClusterDiscoveryException("member " + MemberReport.addressOf(e.getKey()) + " failed its check: " + message(ex), ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new ClusterDiscoveryException("interrupted while checking the members", ex);
            }
            List<String> problems = r.problems(Cna4jVersion.get(), discovery.modelInfo());
            if (!problems.isEmpty()) refused.add("member " + r.member() + " " + String.join(" and ", problems));
        }
        refused.sort(null);   // by address: the same message whatever order the cluster lists its members in
        if (!refused.isEmpty()) throw new ClusterDiscoveryException("refused: " + String.join("; ", refused));
    }

    static String message(Throwable e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** Whether a task failed because its member (or the connection to it) went away, so it can run elsewhere. */
    static boolean memberLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MemberLeftException || t instanceof TargetNotMemberException || t instanceof TargetDisconnectedException
                    || t instanceof HazelcastInstanceNotActiveException || t instanceof com.hazelcast.core.OperationTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Prompts done over all shards, each shard counted by its latest attempt. */
    private static final class ClusterProgress {
        private final int total;
        private final ProgressListener listener;
        private final Map<Integer, int[]> byShard = new ConcurrentHashMap<>();   // shard -> {attempt, done}
        private final long start = System.nanoTime();
        private long reported = -1;

        ClusterProgress(int total, ProgressListener listener) {
            this.total = total;
            this.listener = listener;
        }

        synchronized void update(ShardProgress p) {
            int[] s = byShard.computeIfAbsent(p.shard(), k -> new int[] {p.attempt(), 0});
            if (p.attempt() < s[0]) return;
            if (p.attempt() > s[0]) { s[0] = p.attempt(); s[1] = 0; }
            s[1] = Math.max(s[1], p.done());
            report();
        }

        synchronized void restart(int shard, int attempt) {
            byShard.put(shard, new int[] {attempt, 0});
            report();
        }

        private void report() {
            long done = byShard.values().stream().mapToLong(s -> s[1]).sum();
            if (done == reported) return;
            reported = done;
            listener.onProgress(new Progress("cluster", done, total, System.nanoTime() - start));
        }
    }

    /** One collection: a queue of shards, one lane per member taking the next shard when its last is done. */
    private final class Job {
        private final CircuitDiscovery discovery;
        private final List<DiscoveryShard> shards;
        private final List<Member> members;
        private final String topic;
        private final ClusterProgress progress;
        private final LinkedBlockingDeque<DiscoveryShard> queue;
        private final int[] attempts;
        private final AtomicInteger completed = new AtomicInteger();
        private final AtomicReference<@Nullable DiscoverySnapshot> sum = new AtomicReference<>();
        private final AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();
        private final List<String> lost = new ArrayList<>();

        Job(CircuitDiscovery discovery, List<DiscoveryShard> shards, List<Member> members, String topic, ClusterProgress progress) {
            this.discovery = discovery;
            this.shards = shards;
            this.members = members;
            this.topic = topic;
            this.progress = progress;
            this.queue = new LinkedBlockingDeque<>(shards);
            this.attempts = new int[shards.size()];
        }

        DiscoverySnapshot run() {
            List<Thread> lanes = new ArrayList<>();
            for (Member m : members) lanes.add(Thread.ofVirtual().name("cna4j-lane-" + MemberReport.addressOf(m)).start(() -> lane(m)));
            try {
                for (Thread t : lanes) t.join();
            } catch (InterruptedException e) {
                failure.compareAndSet(null, new ClusterDiscoveryException("interrupted while waiting for the members", e));
                Thread.currentThread().interrupt();
            }
            RuntimeException f = failure.get();
            if (f != null) throw f;
            if (completed.get() < shards.size()) {
                throw new ClusterDiscoveryException((shards.size() - completed.get()) + " of " + shards.size()
                        + " shards could not be collected: every member left (" + String.join(", ", lost) + ")");
            }
            return Objects.requireNonNull(sum.get());
        }

        private boolean finished() {
            return completed.get() == shards.size() || failure.get() != null;
        }

        private void lane(Member member) {
            IExecutorService executor = hz.getExecutorService(EXECUTOR);
            while (!finished()) {
                DiscoveryShard shard;
                try {
                    shard = queue.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (shard == null) continue;
                int attempt;
                synchronized (attempts) {
                    attempt = ++attempts[shard.index()];
                }
                ShardResult result;
                try {
                    result = executor.submitToMember(new CollectShard(source, shard, topic, attempt), member).get();
                } catch (ExecutionException | RuntimeException e) {
                    if (memberLost(e)) {
                        synchronized (lost) {
                            lost.add(MemberReport.addressOf(member) + " left during shard " + shard.index());
                        }
                        progress.restart(shard.index(), attempt + 1);
                        queue.addFirst(shard);   // another member runs it again
                        return;
                    }
                    failure.compareAndSet(null, new ClusterDiscoveryException(message(e), e));
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    add(shard, result);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    return;
                }
            }
        }

        private void add(DiscoveryShard shard, ShardResult result) {
            if (!result.version().equals(Cna4jVersion.get())) {
                throw new ClusterDiscoveryException("member " + result.member() + " runs cna4j " + result.version() + ", the job cna4j "
                        + Cna4jVersion.get());
            }
            DiscoverySnapshot s;
            try {
                s = DiscoverySnapshot.fromBytes(result.snapshot());
            } catch (IOException e) {
                throw new ClusterDiscoveryException("member " + result.member() + " sent an unreadable snapshot: " + e.getMessage(), e);
            }
            if (s.positiveCount() != shard.positive().size() || s.negativeCount() != shard.negative().size()
                    || s.universalCount() != shard.universal().size()) {
                throw new ClusterDiscoveryException("member " + result.member() + " returned " + s + " for " + shard);
            }
            try {
                sum.accumulateAndGet(s, (a, b) -> a == null ? b : a.plus(b));
            } catch (IllegalArgumentException e) {
                throw new ClusterDiscoveryException("member " + result.member() + ": " + e.getMessage(), e);
            }
            completed.incrementAndGet();
        }
    }
}
