package io.cna4j.gpu;

/**
 * No usable GPU for this model: no Vulkan loader, no Vulkan device, or not enough device memory. The message
 * names what is missing and the fix; the CPU backend ({@code JlamaModels.load}) needs none of it.
 *
 * {@snippet :
 * SteerableModel model;
 * try {
 *     model = GpuModels.load(folder);
 * } catch (GpuUnavailableException e) {
 *     System.err.println(e.getMessage() + "; falling back to the CPU");
 *     model = JlamaModels.load(folder);
 * }
 * }
 */
public final class GpuUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GpuUnavailableException(String message) {
        super(message);
    }

    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
