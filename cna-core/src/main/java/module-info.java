import org.jspecify.annotations.NullMarked;

/**
 * cna4j's core: the model SPI ({@link io.cna4j.model.SteerableModel} and the sealed
 * {@link io.cna4j.model.Intervention}), circuits ({@link io.cna4j.circuit.Circuit}: discovery, steering, files,
 * analysis), the exact reducers, progress reporting and atomic file writes. It has no jlama type: a backend
 * (cna-models for jlama, or your own) implements {@code SteerableModel}.
 *
 * <p>Every package is API and exported. Circuit files are bound by Jackson to package-private records, so
 * {@code io.cna4j.circuit} is opened to Jackson alone. The reducers use the Vector API, an incubator module: run
 * with {@code --add-modules jdk.incubator.vector}.
 *
 * {@snippet :
 * // module-info.java of an application on the module path
 * module my.app {
 *     requires io.cna4j.core;
 * }
 * }
 */
@NullMarked
module io.cna4j.core {
    requires transitive org.jspecify;
    requires com.fasterxml.jackson.databind;
    requires jdk.incubator.vector;

    exports io.cna4j.model;
    exports io.cna4j.circuit;
    exports io.cna4j.circuit.reduce;
    exports io.cna4j.progress;
    exports io.cna4j.io;

    opens io.cna4j.circuit to com.fasterxml.jackson.databind;
}
