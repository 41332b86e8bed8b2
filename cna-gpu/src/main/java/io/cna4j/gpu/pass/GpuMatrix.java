package io.cna4j.gpu.pass;

import io.cna4j.gpu.vulkan.DeviceBuffer;
import java.util.List;

/**
 * A weight matrix of {@code rows x cols} on the device in its file's type (F32, BF16 or F16, widened in the
 * shaders), split by rows into chunks that each fit one storage-buffer binding and one dispatch (at most 65535
 * rows), e.g. a 151936-token embedding on a device whose bindings cover 128 MiB.
 *
 * @param rows    output features (or table rows)
 * @param cols    input features
 * @param wtype   0 = F32, 1 = BF16, 2 = F16 (the {@code WTYPE} macro of the shaders)
 * @param chunks  consecutive row ranges
 */
public record GpuMatrix(int rows, int cols, int wtype, List<Chunk> chunks) implements AutoCloseable {

    /** Rows {@code [firstRow, firstRow + rows)} in one buffer. */
    public record Chunk(DeviceBuffer buffer, int firstRow, int rows) {}

    /** Bytes per element of a weight type code. */
    public static int bytes(int wtype) {
        return wtype == 0 ? 4 : 2;
    }

    @Override
    public void close() {
        for (Chunk c : chunks) c.buffer().close();
    }
}
