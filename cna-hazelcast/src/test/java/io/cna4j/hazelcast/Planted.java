package io.cna4j.hazelcast;

import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.CircuitDiscovery;
import io.cna4j.jlama.JlamaModelSource;
import io.cna4j.jlama.planted.BuiltInPrompts;
import io.cna4j.jlama.planted.PlantedModel;
import io.cna4j.jlama.planted.PlantedModelSpec;
import io.cna4j.model.SteerableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The planted Llama model of these tests, written once per JVM, and the discovery every test runs on it. */
final class Planted {
    private static PlantedModelSpec spec;

    private Planted() {}

    static synchronized PlantedModelSpec spec() {
        if (spec == null) {
            try {
                Path dir = Files.createTempDirectory("cna4j-hz-planted");
                spec = PlantedModel.builder().seed(16).writeTo(dir.resolve("llama"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return spec;
    }

    static JlamaModelSource source() {
        return JlamaModelSource.folder(spec().folder());
    }

    /** The model, from the same per-JVM cache the members use. */
    static SteerableModel model() {
        return MemberModels.get(source());
    }

    /** Every harmful and benign built-in prompt, the default universal filter (77 prompts), the planted gate's size. */
    static CircuitDiscovery discovery() {
        return Circuit.discover(model()).positive(BuiltInPrompts.harmful()).negative(BuiltInPrompts.benign())
                .topK(spec().gate().size() + 8);
    }

    /** The single-JVM circuit, computed once. */
    private static Circuit reference;

    static synchronized Circuit reference() {
        if (reference == null) reference = discovery().run();
        return reference;
    }
}
