package io.cna4j.gpu.vulkan;

import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.VkBufferCreateInfo;
import org.lwjgl.vulkan.VkMemoryAllocateInfo;
import org.lwjgl.vulkan.VkMemoryRequirements;

/**
 * One Vulkan storage buffer with its own memory: either {@linkplain #local device-local} (weights, activations,
 * the key/value cache; filled and read by copies) or {@linkplain #host host-visible} and mapped (the staging
 * area through which token ids go in and logits and recorded rows come out).
 *
 * {@snippet :
 * DeviceBuffer staging = DeviceBuffer.host(device, 1 << 20);
 * staging.mapped().putFloat(0, 1f);
 * }
 */
public final class DeviceBuffer implements AutoCloseable {
    private final VulkanDevice device;
    private final long buffer;
    private final long memory;
    private final long size;
    private final ByteBuffer mapped;

    private DeviceBuffer(VulkanDevice device, long size, boolean host) {
        this.device = device;
        this.size = size;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            VkBufferCreateInfo info = VkBufferCreateInfo.calloc(stack).sType$Default().size(size)
                    .usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT)
                    .sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            var lp = stack.mallocLong(1);
            VulkanDevice.check(vkCreateBuffer(device.handle(), info, null, lp), "vkCreateBuffer");
            this.buffer = lp.get(0);
            VkMemoryRequirements req = VkMemoryRequirements.calloc(stack);
            vkGetBufferMemoryRequirements(device.handle(), buffer, req);
            int flags = host ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
                    : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
            int type = device.memoryType(req.memoryTypeBits(), flags);
            if (type < 0) {
                vkDestroyBuffer(device.handle(), buffer, null);
                throw new IllegalStateException(device.name() + " has no memory type with flags " + flags);
            }
            VkMemoryAllocateInfo alloc = VkMemoryAllocateInfo.calloc(stack).sType$Default().allocationSize(req.size())
                    .memoryTypeIndex(type);
            int rc = vkAllocateMemory(device.handle(), alloc, null, lp);
            if (rc != VK_SUCCESS) {
                vkDestroyBuffer(device.handle(), buffer, null);
                throw new IllegalStateException("allocating " + size + " bytes on " + device.name() + " failed with VkResult " + rc);
            }
            this.memory = lp.get(0);
            VulkanDevice.check(vkBindBufferMemory(device.handle(), buffer, memory, 0), "vkBindBufferMemory");
            if (host) {
                PointerBuffer pp = stack.mallocPointer(1);
                VulkanDevice.check(vkMapMemory(device.handle(), memory, 0, size, 0, pp), "vkMapMemory");
                this.mapped = MemoryUtil.memByteBuffer(pp.get(0), Math.toIntExact(size));
            } else {
                this.mapped = null;
            }
        }
    }

    /** A device-local buffer of {@code size} bytes (contents undefined). */
    public static DeviceBuffer local(VulkanDevice device, long size) {
        return new DeviceBuffer(device, Math.max(16, align(size)), false);
    }

    /** A host-visible, coherent, mapped buffer of {@code size} bytes (at most 2 GiB). */
    public static DeviceBuffer host(VulkanDevice device, long size) {
        return new DeviceBuffer(device, Math.max(16, align(size)), true);
    }

    private static long align(long size) {
        return (size + 15) & ~15L;
    }

    /** The Vulkan handle. */
    public long handle() {
        return buffer;
    }

    /** Size in bytes. */
    public long size() {
        return size;
    }

    /** The mapped memory of a host buffer (little-endian, position 0).
     *
     * @throws IllegalStateException for a device-local buffer */
    public ByteBuffer mapped() {
        if (mapped == null) throw new IllegalStateException("a device-local buffer is not mapped");
        return mapped.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {
        if (mapped != null) vkUnmapMemory(device.handle(), memory);
        vkDestroyBuffer(device.handle(), buffer, null);
        vkFreeMemory(device.handle(), memory, null);
    }
}
