package io.cna4j.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.ModelSource;
import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.Callable;

/** Runs on every member before a job: opens the model (once per JVM) and reports version and fingerprint. */
final class MemberCheck implements Callable<MemberReport>, Serializable, HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;
    private final ModelSource source;
    private transient HazelcastInstance hz;

    MemberCheck(ModelSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hz) {
        this.hz = hz;
    }

    @Override
    public MemberReport call() {
        String member = MemberReport.addressOf(hz.getCluster().getLocalMember());
        ModelInfo info;
        try {
            info = MemberModels.get(source).info();
        } catch (RuntimeException e) {
            throw new IllegalStateException("member " + member + " cannot open " + source.description() + ": " + e.getMessage(), e);
        }
        return new MemberReport(member, Cna4jVersion.get(), info.name(), info.fingerprint());
    }
}
