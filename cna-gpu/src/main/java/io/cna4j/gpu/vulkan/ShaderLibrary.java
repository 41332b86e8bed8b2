package io.cna4j.gpu.vulkan;

import static org.lwjgl.util.shaderc.Shaderc.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.lwjgl.system.MemoryUtil;

/**
 * The compute shaders of this module, GLSL sources under {@code io/cna4j/gpu/shaders/} compiled to SPIR-V at run
 * time by shaderc (so nothing generated is committed) and cached for the JVM's life by name and macro values.
 * {@code #include "x.glsl"} lines are expanded from the same folder before compiling.
 *
 * {@snippet :
 * ByteBuffer spirv = ShaderLibrary.spirv("matmul", Map.of("WTYPE", "1"));   // the BF16 variant
 * }
 */
public final class ShaderLibrary {
    private static final String ROOT = "/io/cna4j/gpu/shaders/";
    private static final Map<String, ByteBuffer> CACHE = new ConcurrentHashMap<>();

    private ShaderLibrary() {}

    /**
     * The SPIR-V of shader {@code name} ({@code name.comp}) with {@code macros} defined; a read-only view of a
     * cached buffer.
     *
     * @throws IllegalStateException with shaderc's message when the source does not compile
     */
    public static ByteBuffer spirv(String name, Map<String, String> macros) {
        Map<String, String> sorted = new TreeMap<>(macros);
        return CACHE.computeIfAbsent(name + sorted, k -> compile(name, sorted)).asReadOnlyBuffer();
    }

    private static ByteBuffer compile(String name, Map<String, String> macros) {
        String source = expandIncludes(read(name + ".comp"));
        long compiler = shaderc_compiler_initialize();
        long options = shaderc_compile_options_initialize();
        try {
            shaderc_compile_options_set_target_env(options, shaderc_target_env_vulkan, shaderc_env_version_vulkan_1_2);
            shaderc_compile_options_set_optimization_level(options, shaderc_optimization_level_performance);
            for (var m : macros.entrySet()) shaderc_compile_options_add_macro_definition(options, m.getKey(), m.getValue());
            long result = shaderc_compile_into_spv(compiler, source, shaderc_compute_shader, name + ".comp", "main", options);
            try {
                if (shaderc_result_get_compilation_status(result) != shaderc_compilation_status_success) {
                    throw new IllegalStateException("shader " + name + macros + " does not compile: "
                            + shaderc_result_get_error_message(result));
                }
                ByteBuffer bytes = shaderc_result_get_bytes(result);
                ByteBuffer copy = ByteBuffer.allocateDirect(bytes.remaining());
                copy.put(bytes).flip();
                return copy;
            } finally {
                shaderc_result_release(result);
            }
        } finally {
            shaderc_compile_options_release(options);
            shaderc_compiler_release(compiler);
        }
    }

    private static String expandIncludes(String source) {
        StringBuilder out = new StringBuilder();
        for (String line : source.split("\n", -1)) {
            String t = line.trim();
            if (t.startsWith("#extension GL_GOOGLE_include_directive")) continue;
            if (t.startsWith("#include \"")) out.append(read(t.substring(10, t.length() - 1))).append('\n');
            else out.append(line).append('\n');
        }
        return out.toString();
    }

    private static String read(String file) {
        try (InputStream in = ShaderLibrary.class.getResourceAsStream(ROOT + file)) {
            if (in == null) throw new IllegalStateException("shader source " + ROOT + file + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unused")
    private static void free(ByteBuffer b) {
        MemoryUtil.memFree(b);
    }
}
