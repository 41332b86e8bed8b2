package io.cna4j.gpu;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.jlama.ModelLoadException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is refused before anything is allocated on the device, with the CPU backend's errors for bad folders. */
class MemoryCheckTest extends GpuTestBase {
    @TempDir
    Path tmp;

    @Test
    void aModelLargerThanTheMemoryIsRefusedNamingBothSizes() {
        assertThatThrownBy(() -> GpuModels.load(GpuTestModels.tinySmol(), GpuOptions.defaults().memoryLimit(1 << 20)))
                .isInstanceOf(GpuUnavailableException.class)
                .hasMessageContaining("needs ").hasMessageContaining("the memory limit is 1.0 MiB")
                .hasMessageMatching("(?s).*needs \\d+\\.\\d MiB of device memory.*");
    }

    @Test
    void aMissingFolderIsTheCpuBackendsError() {
        assertThatThrownBy(() -> GpuModels.load(tmp.resolve("nope")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("model folder does not exist");
    }
}
