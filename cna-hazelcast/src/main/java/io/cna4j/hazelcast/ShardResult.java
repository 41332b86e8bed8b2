package io.cna4j.hazelcast;

import java.io.Serializable;

/**
 * A collected shard as it comes back from a member.
 *
 * @param member   the member's address
 * @param version  the member's cna4j version
 * @param snapshot the shard's {@link io.cna4j.circuit.DiscoverySnapshot} in its binary form
 */
record ShardResult(String member, String version, byte[] snapshot) implements Serializable {
    private static final long serialVersionUID = 1L;
}
