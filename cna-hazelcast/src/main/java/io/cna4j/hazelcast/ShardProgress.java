package io.cna4j.hazelcast;

import java.io.Serializable;

/**
 * A member's progress on one shard, published on the job's topic after each prompt.
 *
 * @param shard   the shard's index
 * @param attempt which try of the shard (a shard lost with its member is tried again)
 * @param done    prompts of the shard done in this attempt
 */
record ShardProgress(int shard, int attempt, int done) implements Serializable {
    private static final long serialVersionUID = 1L;
}
