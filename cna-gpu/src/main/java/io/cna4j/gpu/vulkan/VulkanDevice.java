package io.cna4j.gpu.vulkan;

import static org.lwjgl.vulkan.VK10.*;

import io.cna4j.gpu.GpuUnavailableException;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.KHRPushDescriptor;
import org.lwjgl.vulkan.VK;
import org.lwjgl.vulkan.VK12;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkExtensionProperties;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceMemoryProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.lwjgl.vulkan.VkQueue;
import org.lwjgl.vulkan.VkQueueFamilyProperties;

/**
 * One Vulkan compute device: the instance, the chosen physical device (a discrete GPU before an integrated one
 * before anything else, e.g. Mesa's lavapipe on the CPU), a logical device with one compute queue and
 * {@code VK_KHR_push_descriptor}, and a command pool. Not thread-safe: its owner serialises use.
 *
 * {@snippet :
 * try (VulkanDevice device = VulkanDevice.open()) {
 *     System.out.println(device.name() + ", " + device.deviceLocalBytes() / (1 << 20) + " MiB");
 * }
 * }
 */
public final class VulkanDevice implements AutoCloseable {
    /** How to get a device, appended to every "no device" message. */
    public static final String FIX = "install a Vulkan driver and loader (Debian/Ubuntu: apt-get install libvulkan1 "
            + "mesa-vulkan-drivers for the CPU device lavapipe, or your GPU vendor's driver)";

    private final VkInstance instance;
    private final VkPhysicalDevice physical;
    private final VkDevice device;
    private final VkQueue queue;
    private final int queueFamily;
    private final long commandPool;
    private final String name;
    private final boolean cpuDevice;
    private final long deviceLocalBytes;
    private final long maxStorageRange;
    private final long maxAllocationBytes;
    private final VkPhysicalDeviceMemoryProperties memory;

    private VulkanDevice(VkInstance instance, VkPhysicalDevice physical, int queueFamily) {
        this.instance = instance;
        this.physical = physical;
        this.queueFamily = queueFamily;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            VkPhysicalDeviceProperties props = VkPhysicalDeviceProperties.calloc(stack);
            vkGetPhysicalDeviceProperties(physical, props);
            this.name = props.deviceNameString();
            this.cpuDevice = props.deviceType() == VK_PHYSICAL_DEVICE_TYPE_CPU;
            this.maxStorageRange = Integer.toUnsignedLong(props.limits().maxStorageBufferRange());
            this.memory = VkPhysicalDeviceMemoryProperties.malloc();
            vkGetPhysicalDeviceMemoryProperties(physical, memory);
            long local = 0;
            for (int i = 0; i < memory.memoryHeapCount(); i++) {
                if ((memory.memoryHeaps(i).flags() & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0) {
                    local = Math.max(local, memory.memoryHeaps(i).size());
                }
            }
            this.deviceLocalBytes = local;
            this.maxAllocationBytes = Math.min(local, 1L << 30); // well under every driver's maxMemoryAllocationSize

            VkDeviceQueueCreateInfo.Buffer queues = VkDeviceQueueCreateInfo.calloc(1, stack).sType$Default()
                    .queueFamilyIndex(queueFamily).pQueuePriorities(stack.floats(1f));
            PointerBuffer extensions = stack.pointers(stack.UTF8(KHRPushDescriptor.VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME));
            VkDeviceCreateInfo info = VkDeviceCreateInfo.calloc(stack).sType$Default().pQueueCreateInfos(queues)
                    .ppEnabledExtensionNames(extensions);
            PointerBuffer pp = stack.mallocPointer(1);
            check(vkCreateDevice(physical, info, null, pp), "vkCreateDevice");
            this.device = new VkDevice(pp.get(0), physical, info);
            vkGetDeviceQueue(device, queueFamily, 0, pp);
            this.queue = new VkQueue(pp.get(0), device);
            VkCommandPoolCreateInfo pool = VkCommandPoolCreateInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT).queueFamilyIndex(queueFamily);
            var lp = stack.mallocLong(1);
            check(vkCreateCommandPool(device, pool, null, lp), "vkCreateCommandPool");
            this.commandPool = lp.get(0);
        }
    }

    /**
     * Opens the best Vulkan device of this machine.
     *
     * @throws GpuUnavailableException when there is no Vulkan loader, no device, or no device with a compute
     *         queue and push descriptors; the message names what is missing and how to get it
     */
    public static VulkanDevice open() {
        try {
            VK.getFunctionProvider(); // LWJGL loads the loader when VK is first used
        } catch (Throwable e) { // UnsatisfiedLinkError, IllegalStateException or a failed class initialisation
            throw new GpuUnavailableException("no Vulkan loader (libvulkan.so.1) could be loaded (" + e.getMessage()
                    + "): " + FIX, e);
        }
        VkInstance instance;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            VkApplicationInfo app = VkApplicationInfo.calloc(stack).sType$Default().pApplicationName(stack.UTF8("cna4j"))
                    .apiVersion(VK12.VK_API_VERSION_1_2);
            VkInstanceCreateInfo info = VkInstanceCreateInfo.calloc(stack).sType$Default().pApplicationInfo(app);
            PointerBuffer pp = stack.mallocPointer(1);
            int rc = vkCreateInstance(info, null, pp);
            if (rc != VK_SUCCESS) {
                throw new GpuUnavailableException("the Vulkan loader found no driver (vkCreateInstance returned " + rc + "): " + FIX);
            }
            instance = new VkInstance(pp.get(0), info);
        }
        try {
            return pick(instance);
        } catch (RuntimeException e) {
            vkDestroyInstance(instance, null);
            throw e;
        }
    }

    private static VulkanDevice pick(VkInstance instance) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            IntBuffer count = stack.mallocInt(1);
            check(vkEnumeratePhysicalDevices(instance, count, null), "vkEnumeratePhysicalDevices");
            if (count.get(0) == 0) throw new GpuUnavailableException("the Vulkan loader lists no device: " + FIX);
            PointerBuffer handles = stack.mallocPointer(count.get(0));
            check(vkEnumeratePhysicalDevices(instance, count, handles), "vkEnumeratePhysicalDevices");
            VkPhysicalDevice best = null;
            int bestRank = -1, bestQueue = -1;
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < handles.capacity(); i++) {
                VkPhysicalDevice pd = new VkPhysicalDevice(handles.get(i), instance);
                VkPhysicalDeviceProperties props = VkPhysicalDeviceProperties.calloc(stack);
                vkGetPhysicalDeviceProperties(pd, props);
                int queue = computeQueue(pd, stack);
                if (queue < 0 || !hasPushDescriptors(pd, stack)) {
                    refused.add(props.deviceNameString());
                    continue;
                }
                int rank = switch (props.deviceType()) {
                    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU -> 3;
                    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU -> 2;
                    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU -> 1;
                    default -> 0;
                };
                if (rank > bestRank) {
                    best = pd;
                    bestRank = rank;
                    bestQueue = queue;
                }
            }
            if (best == null) {
                throw new GpuUnavailableException("no Vulkan device has a compute queue and VK_KHR_push_descriptor (found "
                        + refused + "): " + FIX);
            }
            return new VulkanDevice(instance, best, bestQueue);
        }
    }

    private static int computeQueue(VkPhysicalDevice pd, MemoryStack stack) {
        IntBuffer n = stack.mallocInt(1);
        vkGetPhysicalDeviceQueueFamilyProperties(pd, n, null);
        VkQueueFamilyProperties.Buffer families = VkQueueFamilyProperties.calloc(n.get(0), stack);
        vkGetPhysicalDeviceQueueFamilyProperties(pd, n, families);
        for (int i = 0; i < families.capacity(); i++) {
            if ((families.get(i).queueFlags() & VK_QUEUE_COMPUTE_BIT) != 0) return i;
        }
        return -1;
    }

    private static boolean hasPushDescriptors(VkPhysicalDevice pd, MemoryStack stack) {
        IntBuffer n = stack.mallocInt(1);
        vkEnumerateDeviceExtensionProperties(pd, (java.nio.ByteBuffer) null, n, null);
        VkExtensionProperties.Buffer ext = VkExtensionProperties.calloc(n.get(0), stack);
        vkEnumerateDeviceExtensionProperties(pd, (java.nio.ByteBuffer) null, n, ext);
        for (int i = 0; i < ext.capacity(); i++) {
            if (ext.get(i).extensionNameString().equals(KHRPushDescriptor.VK_KHR_PUSH_DESCRIPTOR_EXTENSION_NAME)) return true;
        }
        return false;
    }

    /** The device's name, e.g. {@code llvmpipe (LLVM 15.0.6, 256 bits)} or {@code NVIDIA H200}. */
    public String name() {
        return name;
    }

    /** Whether this is a CPU implementation (lavapipe, SwiftShader) rather than a GPU. */
    public boolean isCpu() {
        return cpuDevice;
    }

    /** The size of the largest device-local memory heap. */
    public long deviceLocalBytes() {
        return deviceLocalBytes;
    }

    /** The most bytes one storage-buffer binding may cover ({@code maxStorageBufferRange}). */
    public long maxStorageRange() {
        return maxStorageRange;
    }

    /** The most bytes this class puts in one allocation. */
    public long maxAllocationBytes() {
        return maxAllocationBytes;
    }

    /** The index of a memory type allowed by {@code typeBits} with all of {@code flags}, or -1. */
    int memoryType(int typeBits, int flags) {
        for (int i = 0; i < memory.memoryTypeCount(); i++) {
            if ((typeBits & (1 << i)) != 0 && (memory.memoryTypes(i).propertyFlags() & flags) == flags) return i;
        }
        return -1;
    }

    VkDevice handle() {
        return device;
    }

    VkQueue queue() {
        return queue;
    }

    long commandPool() {
        return commandPool;
    }

    static void check(int result, String call) {
        if (result != VK_SUCCESS) throw new IllegalStateException(call + " failed with VkResult " + result);
    }

    @Override
    public void close() {
        vkDeviceWaitIdle(device);
        vkDestroyCommandPool(device, commandPool, null);
        vkDestroyDevice(device, null);
        vkDestroyInstance(instance, null);
        memory.free();
    }

    @Override
    public String toString() {
        return "VulkanDevice[" + name + ", " + (deviceLocalBytes >> 20) + " MiB device-local, queue family " + queueFamily + "]";
    }
}
