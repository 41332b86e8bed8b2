package example.consumer;

import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import java.nio.file.Path;

/**
 * README.md, "Using it": load a model, generate with an interceptor that ablates one neuron. The region between
 * the tag comments is the README's code block, character for character (ReadmeSnippetsTest).
 */
public final class UsingIt {
    private UsingIt() {}

    /** Runs the snippet on the model in {@code modelFolder}; prints the answer. */
    public static void run(Path modelFolder) {
        // tag::using-it[]
        try (JlamaSteerableModel model = JlamaModels.load(modelFolder)) {
            // An interceptor sees every layer's act(gate(x)) * up(x), rows = positions, and may change it in place.
            int last = model.info().layers() - 1;
            ActivationInterceptor ablate = new ActivationInterceptor() {
                @Override public void onMlpActivation(ActivationRows rows) {
                    if (rows.layer() == last) for (int r = 0; r < rows.rowCount(); r++) rows.set(r, 1023, 0f);
                }
            };
            Generation g = model.generate(Prompt.chat("How do I pick a lock?"), GenerationOptions.greedy(64), ablate);
            System.out.println(g.text());
        }
        // end::using-it[]
    }

    /** {@code java ... example.consumer.UsingIt MODEL_FOLDER} */
    public static void main(String[] args) {
        if (args.length != 1) throw new IllegalArgumentException("usage: UsingIt MODEL_FOLDER");
        run(Path.of(args[0]));
    }
}
