package io.cna4j.hazelcast;

import com.hazelcast.cluster.Member;
import io.cna4j.model.ModelInfo;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a member says about itself before a job: its address, cna4j version and the model it opened.
 *
 * @param member      the member's address, e.g. {@code 127.0.0.1:5702}
 * @param version     the member's cna4j version
 * @param modelName   the name of the model the member opened
 * @param fingerprint that model's fingerprint
 */
record MemberReport(String member, String version, String modelName, String fingerprint) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code host:port} of {@code member}, as messages name it. */
    static String addressOf(Member member) {
        return member.getAddress().getHost() + ":" + member.getAddress().getPort();
    }

    /** Why this member cannot take part in a job of {@code version} on {@code model}; empty when it can. */
    List<String> problems(String version, ModelInfo model) {
        List<String> p = new ArrayList<>();
        if (!this.version.equals(version)) p.add("runs cna4j " + this.version + ", the job cna4j " + version);
        if (!fingerprint.equals(model.fingerprint())) {
            p.add("opened " + modelName + " (fingerprint " + fingerprint + "), the job runs on " + model.name() + " (fingerprint "
                    + model.fingerprint() + ")");
        }
        return p;
    }
}
