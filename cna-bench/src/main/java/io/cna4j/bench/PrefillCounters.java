package io.cna4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH secondary metric for prefill throughput: each forward pass adds its floating-point operations
 * ({@link ModelCost#prefillFlop}). As an operations counter in average-time mode, JMH reports it as
 * milliseconds per FLOP ({@code :prefillFlop}, unit {@code ms/op}); {@code make-table} inverts it to GFLOP/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class PrefillCounters {
    /** Floating-point operations done in this iteration. */
    public long prefillFlop;

    /** JMH does not reset counters itself. */
    @Setup(Level.Iteration)
    public void reset() {
        prefillFlop = 0;
    }
}
