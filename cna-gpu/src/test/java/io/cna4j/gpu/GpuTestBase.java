package io.cna4j.gpu;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cna4j.gpu.vulkan.VulkanDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of every test that needs a Vulkan device: skipped with one line when the machine has none, failed under
 * {@code CI=true} (CI installs lavapipe, see .ci/run).
 */
abstract class GpuTestBase {
    static final String NO_DEVICE = "no Vulkan device: apt-get install mesa-vulkan-drivers libvulkan1 to run the GPU tests";
    private static Boolean available;

    @BeforeAll
    static void requireDevice() {
        if (available == null) {
            try (VulkanDevice d = VulkanDevice.open()) {
                System.out.println("cna-gpu tests run on " + d.name());
                available = true;
            } catch (GpuUnavailableException e) {
                System.out.println(NO_DEVICE + " (" + e.getMessage() + ")");
                available = false;
            }
        }
        if (!available) {
            if ("true".equals(System.getenv("CI"))) fail(NO_DEVICE);
            assumeTrue(false, NO_DEVICE);
        }
    }

    /** {@code ../shared}: a failure under {@code CI=true} when missing, a skip elsewhere. */
    static Path shared() {
        String env = System.getenv("CNA_SHARED");
        Path p = env != null ? Path.of(env) : Path.of("..", "shared");
        if (!Files.isDirectory(p.resolve("models"))) {
            String msg = "../shared/models is missing (looked at " + p.toAbsolutePath() + ")";
            if ("true".equals(System.getenv("CI"))) fail(msg + ": CI must provide it");
            assumeTrue(false, msg);
        }
        return p;
    }
}
