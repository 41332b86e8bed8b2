package io.cna4j.gpu.vulkan;

import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.KHRPushDescriptor;
import org.lwjgl.vulkan.VkBufferCopy;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkDescriptorBufferInfo;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkMemoryBarrier;
import org.lwjgl.vulkan.VkSubmitInfo;
import org.lwjgl.vulkan.VkWriteDescriptorSet;

/**
 * Records dispatches and copies into one command buffer and runs them with {@link #submitAndWait()}; every
 * command is followed by a full compute/transfer memory barrier, so each sees the results of the one before
 * (simple and always correct; it costs overlap between independent dispatches). One stream per model, used
 * under the model's lock.
 *
 * {@snippet :
 * stream.copy(staging, 0, ids, 0, 4L * tokens.length);
 * stream.dispatch(embed, new int[] {hidden, tokens.length, 0, vocab}, 1, tokens.length, ids, table, x);
 * stream.submitAndWait();
 * }
 */
public final class CommandStream implements AutoCloseable {
    private final VulkanDevice device;
    private final VkCommandBuffer commands;
    private final long fence;
    private boolean recording;
    private int recorded;

    public CommandStream(VulkanDevice device) {
        this.device = device;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            VkCommandBufferAllocateInfo ai = VkCommandBufferAllocateInfo.calloc(stack).sType$Default()
                    .commandPool(device.commandPool()).level(VK_COMMAND_BUFFER_LEVEL_PRIMARY).commandBufferCount(1);
            PointerBuffer pp = stack.mallocPointer(1);
            VulkanDevice.check(vkAllocateCommandBuffers(device.handle(), ai, pp), "vkAllocateCommandBuffers");
            this.commands = new VkCommandBuffer(pp.get(0), device.handle());
            var lp = stack.mallocLong(1);
            VulkanDevice.check(vkCreateFence(device.handle(), VkFenceCreateInfo.calloc(stack).sType$Default(), null, lp),
                    "vkCreateFence");
            this.fence = lp.get(0);
        }
    }

    private void begin() {
        if (recording) return;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            VulkanDevice.check(vkBeginCommandBuffer(commands, VkCommandBufferBeginInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT)), "vkBeginCommandBuffer");
        }
        recording = true;
        recorded = 0;
    }

    /**
     * Records one dispatch of {@code groupsX * groupsY} workgroups with {@code push} as push constants (ints;
     * floats as {@link Float#floatToRawIntBits}) and {@code buffers} at bindings 0, 1, ...
     */
    public void dispatch(ComputePipeline pipeline, int[] push, int groupsX, int groupsY, DeviceBuffer... buffers) {
        if (buffers.length != pipeline.bindings()) {
            throw new IllegalArgumentException(pipeline.name() + " takes " + pipeline.bindings() + " buffers, got " + buffers.length);
        }
        if (groupsX <= 0 || groupsY <= 0) return;
        begin();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.handle());
            VkWriteDescriptorSet.Buffer writes = VkWriteDescriptorSet.calloc(buffers.length, stack);
            for (int i = 0; i < buffers.length; i++) {
                VkDescriptorBufferInfo.Buffer info = VkDescriptorBufferInfo.calloc(1, stack).buffer(buffers[i].handle())
                        .offset(0).range(Math.min(buffers[i].size(), device.maxStorageRange()));
                writes.get(i).sType$Default().dstBinding(i).descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER)
                        .descriptorCount(1).pBufferInfo(info);
            }
            KHRPushDescriptor.vkCmdPushDescriptorSetKHR(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout(), 0, writes);
            ByteBuffer pc = stack.calloc(ComputePipeline.PUSH_BYTES);
            for (int v : push) pc.putInt(v);
            pc.rewind();
            vkCmdPushConstants(commands, pipeline.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, pc);
            vkCmdDispatch(commands, groupsX, groupsY, 1);
            barrier(stack);
        }
    }

    /** Records a copy of {@code bytes} bytes between buffers. */
    public void copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long bytes) {
        if (bytes <= 0) return;
        begin();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            VkBufferCopy.Buffer region = VkBufferCopy.calloc(1, stack).srcOffset(srcOffset).dstOffset(dstOffset).size(bytes);
            vkCmdCopyBuffer(commands, src.handle(), dst.handle(), region);
            barrier(stack);
        }
    }

    private void barrier(MemoryStack stack) {
        int stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
        VkMemoryBarrier.Buffer mb = VkMemoryBarrier.calloc(1, stack).sType$Default()
                .srcAccessMask(VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT)
                .dstAccessMask(VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT
                        | VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_HOST_READ_BIT);
        int dstStages = stages | VK_PIPELINE_STAGE_HOST_BIT;
        vkCmdPipelineBarrier(commands, stages, dstStages, 0, mb, null, null);
        recorded++;
    }

    /** Runs what was recorded and waits for it; returns at once when nothing was. */
    public void submitAndWait() {
        if (!recording) return;
        recording = false;
        try (MemoryStack stack = MemoryStack.stackPush()) {
            VulkanDevice.check(vkEndCommandBuffer(commands), "vkEndCommandBuffer");
            VkSubmitInfo submit = VkSubmitInfo.calloc(stack).sType$Default().pCommandBuffers(stack.pointers(commands));
            VulkanDevice.check(vkQueueSubmit(device.queue(), submit, fence), "vkQueueSubmit");
            VulkanDevice.check(vkWaitForFences(device.handle(), fence, true, Long.MAX_VALUE), "vkWaitForFences");
            VulkanDevice.check(vkResetFences(device.handle(), fence), "vkResetFences");
            VulkanDevice.check(vkResetCommandBuffer(commands, 0), "vkResetCommandBuffer");
        }
    }

    @Override
    public void close() {
        if (recording) {
            vkEndCommandBuffer(commands);
            recording = false;
        }
        vkDestroyFence(device.handle(), fence, null);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            vkFreeCommandBuffers(device.handle(), device.commandPool(), stack.pointers(commands));
        }
    }
}
