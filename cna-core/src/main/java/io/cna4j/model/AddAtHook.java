package io.cna4j.model;

import java.util.Objects;

/**
 * Adds {@code scale * vector} to every position's activations at one hook: the steering of Contrastive
 * Activation Addition (CAA), whose vectors live at {@code blocks.L.hook_mlp_out}. The vector is copied on
 * construction; the instance is immutable.
 *
 * {@snippet class=io.cna4j.circuit.Snippets region="add-at-hook"}
 */
public final class AddAtHook implements Intervention {
    private final HookPoint hook;
    private final float[] vector;
    private final float scale;

    /**
     * @param hook   where to add
     * @param vector one value per column of the hook's activations (its width must match the model's, checked
     *               by {@link #requireFits})
     * @param scale  the factor applied to {@code vector}
     * @throws IllegalArgumentException if the vector is empty or a value or the scale is NaN or infinite
     */
    public AddAtHook(HookPoint hook, float[] vector, float scale) {
        this.hook = Objects.requireNonNull(hook, "hook");
        this.vector = Objects.requireNonNull(vector, "vector").clone();
        if (this.vector.length == 0) throw new IllegalArgumentException("the vector for " + hook + " is empty");
        if (!Float.isFinite(scale)) throw new IllegalArgumentException("scale at " + hook + " must be finite, got " + scale);
        for (int i = 0; i < this.vector.length; i++) {
            if (!Float.isFinite(this.vector[i])) {
                throw new IllegalArgumentException("vector at " + hook + " has " + this.vector[i] + " at index " + i);
            }
        }
        this.scale = scale;
    }

    /** Where the vector is added. */
    public HookPoint hook() {
        return hook;
    }

    /** A copy of the vector. */
    public float[] vector() {
        return vector.clone();
    }

    /** The factor applied to the vector. */
    public float scale() {
        return scale;
    }

    /** The vector's length. */
    public int width() {
        return vector.length;
    }

    @Override
    public void requireFits(ModelInfo model) {
        hook.requireFits(model);
        int width = hook.kind().width(model);
        if (vector.length != width) {
            throw new IllegalArgumentException("cannot add a vector of " + vector.length + " values at " + hook + " of "
                    + model.name() + ", whose width there is " + width);
        }
    }

    @Override
    public boolean actsAt(HookPoint at) {
        return hook.equals(at);
    }

    @Override
    public void apply(HookPoint at, ActivationRows rows) {
        if (!hook.equals(at)) return;
        if (rows.width() != vector.length) {
            throw new IllegalStateException("activations at " + hook + " have width " + rows.width() + ", the vector "
                    + vector.length);
        }
        for (int r = 0; r < rows.rowCount(); r++) rows.addToRow(r, vector, scale);
    }

    @Override
    public String toString() {
        return "AddAtHook[" + hook + ", " + vector.length + " values x " + scale + "]";
    }
}
