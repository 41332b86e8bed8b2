package io.cna4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH secondary metrics for the decoding phase of a generation (the one-token forward passes after the
 * prompt's prefill): per iteration, the nanoseconds spent decoding, the tokens decoded and the bytes of
 * weights those passes read ({@link ModelCost#decodeWeightBytes} per token). As event counters they appear
 * in JMH's JSON with each iteration's sums ({@code rawData}); {@code make-table} divides them into decode
 * tokens/s and GB/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class DecodeCounters {
    /** Time spent in decoding passes. */
    public long decodeNanos;
    /** One-token forward passes done. */
    public long decodeTokens;
    /** Bytes of weights those passes read. */
    public long decodeWeightBytes;

    /** JMH does not reset counters itself. */
    @Setup(Level.Iteration)
    public void reset() {
        decodeNanos = 0;
        decodeTokens = 0;
        decodeWeightBytes = 0;
    }

    /** Adds one generation's decoding phase. */
    void add(long nanos, int tokens, long bytesPerToken) {
        decodeNanos += nanos;
        decodeTokens += tokens;
        decodeWeightBytes += tokens * bytesPerToken;
    }
}
