package io.cna4j.hazelcast;

/**
 * Discovery on a cluster failed: a member was refused (another cna4j version or model), a shard failed on a
 * member, or every member left. The message names the member. No circuit is built from part of the prompts.
 *
 * {@snippet :
 * try {
 *     HazelcastDiscovery.on(hz, source).run(discovery);
 * } catch (ClusterDiscoveryException e) {
 *     System.err.println(e.getMessage());   // e.g. "refused: member 127.0.0.1:5702 runs cna4j 0.2.0, the job cna4j 0.1.0"
 * }
 * }
 */
public final class ClusterDiscoveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterDiscoveryException(String message) {
        super(message);
    }

    public ClusterDiscoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
