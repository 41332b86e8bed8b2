package io.cna4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH secondary metrics of {@link DiscoveryMemoryBenchmark}: the largest live heap during a discovery and
 * what discovery added to the live heap of the loaded model. Event counters, one value per iteration in
 * JMH's JSON ({@code rawData}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class HeapCounters {
    /** The largest live heap sampled during the discovery, in bytes. */
    public long peakLiveHeapBytes;
    /** That peak minus the live heap just before the discovery started, in bytes. */
    public long discoveryLiveHeapBytes;

    /** JMH does not reset counters itself. */
    @Setup(Level.Iteration)
    public void reset() {
        peakLiveHeapBytes = 0;
        discoveryLiveHeapBytes = 0;
    }
}
