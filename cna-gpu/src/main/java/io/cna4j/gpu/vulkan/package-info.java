/**
 * A thin layer over LWJGL's Vulkan bindings for compute only (internal to cna-gpu): the device, buffers, shader
 * pipelines compiled at run time by shaderc, and a command stream.
 */
@NullMarked
package io.cna4j.gpu.vulkan;

import org.jspecify.annotations.NullMarked;
