package io.cna4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The largest live heap seen at a series of sample points: at each, a full collection ({@code System.gc()})
 * leaves only reachable objects, and the heap's used bytes are read. Unlike the peak of the pools' usage,
 * this does not depend on how large the collector lets the young generation grow between collections, so
 * it shows what a computation keeps, not how much garbage it makes.
 */
final class LiveHeap {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long peak;
    private int samples;

    /** Collects and records the live heap now; returns it in bytes. */
    long sample() {
        System.gc();
        long used = memory.getHeapMemoryUsage().getUsed();
        peak = Math.max(peak, used);
        samples++;
        return used;
    }

    /** The largest sample so far, in bytes. */
    long peak() {
        return peak;
    }

    /** How many samples were taken. */
    int samples() {
        return samples;
    }
}
