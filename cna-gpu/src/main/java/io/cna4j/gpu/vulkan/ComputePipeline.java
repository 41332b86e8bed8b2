package io.cna4j.gpu.vulkan;

import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.util.Map;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.KHRPushDescriptor;
import org.lwjgl.vulkan.VkComputePipelineCreateInfo;
import org.lwjgl.vulkan.VkDescriptorSetLayoutBinding;
import org.lwjgl.vulkan.VkDescriptorSetLayoutCreateInfo;
import org.lwjgl.vulkan.VkPipelineLayoutCreateInfo;
import org.lwjgl.vulkan.VkPipelineShaderStageCreateInfo;
import org.lwjgl.vulkan.VkPushConstantRange;
import org.lwjgl.vulkan.VkShaderModuleCreateInfo;

/**
 * One compute shader as a pipeline: {@code bindings} storage buffers at set 0 (bound per dispatch with push
 * descriptors, so no descriptor pools) and up to 128 bytes of push constants.
 *
 * {@snippet :
 * ComputePipeline silu = new ComputePipeline(device, "silu_mul", Map.of(), 2);
 * stream.dispatch(silu, new int[] {count}, (count + 255) / 256, 1, gate, up);
 * }
 */
public final class ComputePipeline implements AutoCloseable {
    /** The push-constant block every shader of the library fits in. */
    static final int PUSH_BYTES = 32;

    private final VulkanDevice device;
    private final String name;
    private final int bindings;
    private final long setLayout;
    private final long layout;
    private final long pipeline;

    public ComputePipeline(VulkanDevice device, String name, Map<String, String> macros, int bindings) {
        this.device = device;
        this.name = name;
        this.bindings = bindings;
        ByteBuffer spirv = ShaderLibrary.spirv(name, macros);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            var lp = stack.mallocLong(1);
            VkShaderModuleCreateInfo mod = VkShaderModuleCreateInfo.calloc(stack).sType$Default().pCode(spirv);
            VulkanDevice.check(vkCreateShaderModule(device.handle(), mod, null, lp), "vkCreateShaderModule " + name);
            long module = lp.get(0);
            VkDescriptorSetLayoutBinding.Buffer b = VkDescriptorSetLayoutBinding.calloc(bindings, stack);
            for (int i = 0; i < bindings; i++) {
                b.get(i).binding(i).descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(1)
                        .stageFlags(VK_SHADER_STAGE_COMPUTE_BIT);
            }
            VkDescriptorSetLayoutCreateInfo dsl = VkDescriptorSetLayoutCreateInfo.calloc(stack).sType$Default()
                    .flags(KHRPushDescriptor.VK_DESCRIPTOR_SET_LAYOUT_CREATE_PUSH_DESCRIPTOR_BIT_KHR).pBindings(b);
            VulkanDevice.check(vkCreateDescriptorSetLayout(device.handle(), dsl, null, lp), "vkCreateDescriptorSetLayout");
            this.setLayout = lp.get(0);
            VkPushConstantRange.Buffer pcr = VkPushConstantRange.calloc(1, stack).stageFlags(VK_SHADER_STAGE_COMPUTE_BIT)
                    .offset(0).size(PUSH_BYTES);
            VkPipelineLayoutCreateInfo pl = VkPipelineLayoutCreateInfo.calloc(stack).sType$Default()
                    .pSetLayouts(stack.longs(setLayout)).pPushConstantRanges(pcr);
            VulkanDevice.check(vkCreatePipelineLayout(device.handle(), pl, null, lp), "vkCreatePipelineLayout");
            this.layout = lp.get(0);
            VkPipelineShaderStageCreateInfo stage = VkPipelineShaderStageCreateInfo.calloc(stack).sType$Default()
                    .stage(VK_SHADER_STAGE_COMPUTE_BIT).module(module).pName(stack.UTF8("main"));
            VkComputePipelineCreateInfo.Buffer cp = VkComputePipelineCreateInfo.calloc(1, stack).sType$Default()
                    .stage(stage).layout(layout);
            VulkanDevice.check(vkCreateComputePipelines(device.handle(), VK_NULL_HANDLE, cp, null, lp),
                    "vkCreateComputePipelines " + name);
            this.pipeline = lp.get(0);
            vkDestroyShaderModule(device.handle(), module, null);
        }
    }

    String name() {
        return name;
    }

    int bindings() {
        return bindings;
    }

    long layout() {
        return layout;
    }

    long handle() {
        return pipeline;
    }

    @Override
    public void close() {
        vkDestroyPipeline(device.handle(), pipeline, null);
        vkDestroyPipelineLayout(device.handle(), layout, null);
        vkDestroyDescriptorSetLayout(device.handle(), setLayout, null);
    }
}
