package io.cna4j.gpu;

/**
 * Settings of {@link GpuModels#load(java.nio.file.Path, GpuOptions)}.
 *
 * {@snippet :
 * GpuOptions opts = GpuOptions.defaults().memoryLimit(8L << 30);   // use at most 8 GiB of device memory
 * }
 *
 * @param memoryLimitBytes the most device memory the model may use (weights, key/value cache and workspace for
 *                         {@code reservedPositions}); 0 means the device's device-local heap
 * @param reservedPositions the sequence length the load-time memory check reserves cache and workspace for
 *                          (longer calls grow them later)
 */
public record GpuOptions(long memoryLimitBytes, int reservedPositions) {

    public GpuOptions {
        if (memoryLimitBytes < 0) throw new IllegalArgumentException("memoryLimitBytes must be >= 0, got " + memoryLimitBytes);
        if (reservedPositions < 1) throw new IllegalArgumentException("reservedPositions must be >= 1, got " + reservedPositions);
    }

    /** The device's whole device-local heap, 1024 positions reserved. */
    public static GpuOptions defaults() {
        return new GpuOptions(0, 1024);
    }

    /** The same options with at most {@code bytes} of device memory. */
    public GpuOptions memoryLimit(long bytes) {
        return new GpuOptions(bytes, reservedPositions);
    }
}
