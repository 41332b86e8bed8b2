package io.cna4j.bench;

/**
 * The JVM flags of the benchmark forks, as compile-time constants for {@code @Fork(jvmArgsAppend = ...)}.
 *
 * <p>Every benchmark except the provider comparison runs on jlama's pure-Java (Panama Vector API) tensor
 * operations, forced by {@link #FORCE_PANAMA}: jlama-native is on this module's class path only for
 * {@link NativeOperationsBenchmark}, and its 0.8.4 batched kernels compute wrong prefill products.
 */
final class BenchJvm {
    /** jlama's operations need the incubating Vector API. */
    static final String VECTOR_API = "--add-modules=jdk.incubator.vector";
    /** jlama-native loads a shared library through the FFM API. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Makes jlama pick its pure-Java provider even though jlama-native is on the class path. */
    static final String FORCE_PANAMA = "-Djlama.force_panama_tensor_operations=true";
    /** Room for two loaded models' working memory; the weights themselves are memory-mapped. */
    static final String HEAP = "-Xmx8g";

    private BenchJvm() {}
}
