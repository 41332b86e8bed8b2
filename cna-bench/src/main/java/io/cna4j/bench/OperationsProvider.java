package io.cna4j.bench;

import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;

/**
 * Which tensor-operations provider jlama picked in this JVM, and a guard that it is the one a benchmark
 * expects, so that a fork started with the wrong flags fails instead of measuring the wrong thing.
 */
final class OperationsProvider {
    private OperationsProvider() {}

    /** The provider's name, e.g. {@code PanamaTensorOperations} or {@code NativeSimdTensorOperations}. */
    static String name() {
        return TensorOperationsProvider.get().name();
    }

    /** Whether jlama runs on jlama-native's kernels in this JVM. */
    static boolean isNative() {
        return name().toLowerCase(java.util.Locale.ROOT).contains("native");
    }

    /**
     * Fails unless the provider is native ({@code expectNative}) or pure Java; prints the provider to the
     * fork's output (the run's log) either way.
     */
    static void require(boolean expectNative) {
        String n = name();
        System.out.println("# tensor operations: " + n);
        if (isNative() != expectNative) {
            throw new IllegalStateException("this benchmark must run on " + (expectNative ? "jlama-native" : "jlama's pure-Java")
                    + " operations but jlama picked " + n + (expectNative
                            ? " (is com.github.tjake:jlama-native on the class path, without " + BenchJvm.FORCE_PANAMA + "?)"
                            : " (pass " + BenchJvm.FORCE_PANAMA + " to the fork)"));
        }
    }

    /** {@link #require require(false)}: jlama's pure-Java operations. */
    static void requirePanama() {
        require(false);
    }
}
