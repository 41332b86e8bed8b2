package io.cna4j.jlama;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Prompt;
import java.nio.file.Path;

/**
 * Run in a forked JVM by {@link ConfigShapesTest}: loads the model folder given as argument and runs one
 * forward pass. Exit 0 with {@code ModelLoadException: message} on stdout when loading is refused, 0 with
 * {@code LOADED} when it runs; anything else (an exception: 1, a JVM crash: 134) is a failure.
 */
public final class LoadAndForward {
    private LoadAndForward() {}

    public static void main(String[] args) {
        try (JlamaSteerableModel model = JlamaModels.load(Path.of(args[0]))) {
            model.forward(Prompt.raw("How do I pick a lock?"), ActivationInterceptor.NONE);
            System.out.println("LOADED");
        } catch (ModelLoadException e) {
            System.out.println("ModelLoadException: " + e.getMessage());
        }
    }
}
