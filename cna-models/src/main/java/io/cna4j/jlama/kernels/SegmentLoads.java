package io.cna4j.jlama.kernels;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loads from and stores to the memory of jlama's tensors ({@code AbstractTensor.getMemorySegment()}, a
 * {@code java.lang.foreign.MemorySegment}), little-endian, at byte offsets.
 *
 * <p>Why method handles: cna4j compiles with {@code --release 21} so that it runs on Java 21, and there the foreign
 * memory API is a preview API that {@code javac} refuses to name without {@code --enable-preview}. The segment is
 * therefore held as an {@code Object} and the Vector API's {@code fromMemorySegment} / {@code intoMemorySegment}
 * are bound once, through public method handles, to {@code Object}-typed signatures. The handles are
 * {@code static final} constants, which the JIT inlines completely (a stand-alone timing of the 4 x 4 kernel on JDK 25
 * showed no difference from direct calls). Going through jlama's
 * {@code getVector(species, int...)} instead costs an offset computation over a varargs array per load and is too
 * deep for C2 to inline inside a register-blocked kernel.
 */
final class SegmentLoads {
    /** The byte order of safetensors and of jlama's tensors. */
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /**
     * {@code (VectorSpecies<Integer>, Object segment, long offset, ByteOrder) -> IntVector}; {@link Gemm}'s tiles call
     * it with {@code invokeExact} themselves (see {@link Gemm} for why not through {@link #floats}).
     */
    static final MethodHandle INTS;
    /** {@code (VectorSpecies<Float>, Object segment, long offset, ByteOrder) -> FloatVector}. */
    static final MethodHandle FLOATS;
    private static final MethodHandle STORE_FLOATS;

    static {
        try {
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            INTS = lookup.findStatic(IntVector.class, "fromMemorySegment",
                            MethodType.methodType(IntVector.class, VectorSpecies.class, segment, long.class, ByteOrder.class))
                    .asType(MethodType.methodType(IntVector.class, VectorSpecies.class, Object.class, long.class, ByteOrder.class));
            FLOATS = lookup.findStatic(FloatVector.class, "fromMemorySegment",
                            MethodType.methodType(FloatVector.class, VectorSpecies.class, segment, long.class, ByteOrder.class))
                    .asType(MethodType.methodType(FloatVector.class, VectorSpecies.class, Object.class, long.class, ByteOrder.class));
            STORE_FLOATS = lookup.findVirtual(FloatVector.class, "intoMemorySegment",
                            MethodType.methodType(void.class, segment, long.class, ByteOrder.class))
                    .asType(MethodType.methodType(void.class, FloatVector.class, Object.class, long.class, ByteOrder.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SegmentLoads() {}

    /** {@code species.length()} floats from {@code segment} at byte {@code offset}. */
    static FloatVector floats(VectorSpecies<Float> species, Object segment, long offset) {
        try {
            return (FloatVector) FLOATS.invokeExact(species, segment, offset, LE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Copies floats from {@code segment} at byte {@code offset} into {@code dst[from...]}, a vector at a time, as many
     * of {@code count} as whole vectors hold; returns how many it copied (the caller copies the rest).
     */
    static int copyFloats(Object segment, long offset, float[] dst, int from, int count) {
        int main = count - count % Gemm.L;
        for (int j = 0; j < main; j += Gemm.L) floats(Gemm.F, segment, offset + 4L * j).intoArray(dst, from + j);
        return main;
    }

    /** {@code species.length()} ints from {@code segment} at byte {@code offset}. */
    static IntVector ints(VectorSpecies<Integer> species, Object segment, long offset) {
        try {
            return (IntVector) INTS.invokeExact(species, segment, offset, LE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Stores {@code v} into {@code segment} at byte {@code offset}. */
    static void store(FloatVector v, Object segment, long offset) {
        try {
            STORE_FLOATS.invokeExact(v, segment, offset, LE);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
