package io.cna4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sees, and may change, the MLP activations of a forward pass; passed per call, so each request steers on
 * its own (the model's weights are never modified).
 *
 * <p>For every layer of every forward step the model calls, in this order:
 * <ol>
 *   <li>{@link #onMlpActivation}: the down projection's input, {@code act(gate(x)) * up(x)}, one value per
 *       MLP neuron and position ({@code blocks.L.mlp.hook_post} in TransformerLens's terms). Changes here
 *       flow into the down projection.</li>
 *   <li>{@link #onMlpOutput}: the down projection's output, one value per hidden dimension and position,
 *       before it is added to the residual stream ({@code blocks.L.hook_mlp_out}, where CAA adds). Called
 *       only where {@link #actsAt} says so (by default when {@link #observesMlpOutput()} is true), so
 *       interceptors that do not need it cost nothing there.</li>
 * </ol>
 * Calls happen on the thread that runs the forward pass, one layer after the other.
 * An interceptor that changes nothing leaves the model's outputs bit-identical to the unhooked model.
 *
 * <p>An interceptor is the custom kind of {@link Intervention}: a backend cannot look inside it, so it calls
 * it. It subscribes to hooks by {@link #actsAt} (by default the two {@code observes...} switches, for every
 * layer); a recorder that needs only some layers overrides {@code actsAt} and is not called elsewhere.
 *
 * <p>Interceptors compose with {@link #andThen}: at each hook the first runs before the second, and the
 * second sees the first's changes.
 *
 * {@snippet class=io.cna4j.circuit.Snippets region="activation-interceptor"}
 */
public non-sealed interface ActivationInterceptor extends Intervention {

    /** The interceptor that does nothing; the model runs exactly as without hooks. */
    ActivationInterceptor NONE = new ActivationInterceptor() {
        @Override
        public String toString() {
            return "ActivationInterceptor.NONE";
        }
    };

    /** Sees the down projection's input of one layer (width = neurons per layer); may change it in place. */
    default void onMlpActivation(ActivationRows activations) {}

    /** Sees the down projection's output of one layer (width = hidden size); may change it in place. */
    default void onMlpOutput(ActivationRows output) {}

    /**
     * Checks, before a call runs, that everything this interceptor addresses exists in {@code model}; models
     * call it at the start of every {@code forward} and {@code generate}. The default accepts any model;
     * steering interceptors refuse a model that lacks one of their neurons, so that a circuit of another
     * model never silently steers only part of itself.
     *
     * @throws IllegalArgumentException naming the neuron and the model's shape
     */
    @Override
    default void requireFits(ModelInfo model) {}

    /**
     * Whether this interceptor wants to be called at {@code hook}. The default subscribes to every layer's
     * {@code mlp.hook_post} when {@link #observesMlpActivation()} and to every layer's {@code hook_mlp_out}
     * when {@link #observesMlpOutput()}; override it to subscribe to chosen layers and hooks.
     */
    @Override
    default boolean actsAt(HookPoint hook) {
        if (this == NONE) return false;
        return hook.kind() == HookPoint.Kind.MLP_POST ? observesMlpActivation() : observesMlpOutput();
    }

    /** Calls {@link #onMlpActivation} at {@code mlp.hook_post} and {@link #onMlpOutput} at {@code hook_mlp_out}. */
    @Override
    default void apply(HookPoint hook, ActivationRows rows) {
        if (hook.kind() == HookPoint.Kind.MLP_POST) onMlpActivation(rows);
        else onMlpOutput(rows);
    }

    /** Whether {@link #onMlpOutput} should be called; false by default. */
    default boolean observesMlpOutput() {
        return false;
    }

    /** Whether {@link #onMlpActivation} should be called; true by default. */
    default boolean observesMlpActivation() {
        return true;
    }

    /**
     * Whether this interceptor only reads the rows of the prompt's last token ({@link ActivationRows#isLastPromptToken})
     * and changes nothing, as discovery's recorder does. A backend may then gather those rows on its device and call
     * the interceptor once per hook after the pass, with a view of that row alone (the GPU backend does, instead of
     * copying every layer's rows to the host and back). False by default; say true only when both hold.
     */
    default boolean readsLastPromptTokenOnly() {
        return false;
    }

    /** An interceptor that runs this one, then {@code next}, at every hook. */
    default ActivationInterceptor andThen(ActivationInterceptor next) {
        return compose(List.of(this, next));
    }

    /**
     * Composes interceptors in list order: at each hook the first runs first and later ones see its changes.
     * {@link #NONE} entries are dropped; an empty list gives {@link #NONE}.
     */
    static ActivationInterceptor compose(List<? extends ActivationInterceptor> interceptors) {
        List<ActivationInterceptor> parts = new ArrayList<>();
        for (ActivationInterceptor i : interceptors) {
            Objects.requireNonNull(i, "interceptor");
            if (i instanceof Composite c) parts.addAll(c.parts());
            else if (i != NONE) parts.add(i);
        }
        if (parts.isEmpty()) return NONE;
        if (parts.size() == 1) return parts.get(0);
        return new Composite(List.copyOf(parts));
    }

    /** Interceptors run in a fixed order; see {@link #compose}. */
    record Composite(List<ActivationInterceptor> parts) implements ActivationInterceptor {
        @Override
        public void onMlpActivation(ActivationRows activations) {
            for (ActivationInterceptor p : parts) {
                if (p.observesMlpActivation()) p.onMlpActivation(activations);
            }
        }

        @Override
        public void onMlpOutput(ActivationRows output) {
            for (ActivationInterceptor p : parts) {
                if (p.observesMlpOutput()) p.onMlpOutput(output);
            }
        }

        @Override
        public void requireFits(ModelInfo model) {
            for (ActivationInterceptor p : parts) p.requireFits(model);
        }

        @Override
        public boolean actsAt(HookPoint hook) {
            for (ActivationInterceptor p : parts) if (p.actsAt(hook)) return true;
            return false;
        }

        @Override
        public void apply(HookPoint hook, ActivationRows rows) {
            for (ActivationInterceptor p : parts) if (p.actsAt(hook)) p.apply(hook, rows);
        }

        @Override
        public boolean observesMlpOutput() {
            for (ActivationInterceptor p : parts) if (p.observesMlpOutput()) return true;
            return false;
        }

        @Override
        public boolean observesMlpActivation() {
            for (ActivationInterceptor p : parts) if (p.observesMlpActivation()) return true;
            return false;
        }

        @Override
        public boolean readsLastPromptTokenOnly() {
            for (ActivationInterceptor p : parts) if (!p.readsLastPromptTokenOnly()) return false;
            return true;
        }
    }
}
