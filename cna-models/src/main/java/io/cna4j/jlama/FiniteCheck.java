package io.cna4j.jlama;

import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import io.cna4j.model.NonFiniteActivationException;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Finds NaN and infinite values in jlama's working tensors, cheaply: {@code x * 0} is 0 for every finite
 * {@code x} and NaN otherwise, so one multiply-add per vector over rows that the forward pass has just
 * written (and that are still in cache) decides a whole tensor; only a tensor that fails is searched value
 * by value, to name the row and column. Against the matrix products that produced the rows (one
 * multiply-add per value and input column) this costs about {@code 1 / input width}.
 */
final class FiniteCheck {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private FiniteCheck() {}

    /**
     * Throws if any of the first {@code width} values of any row of {@code rows} (a 2-D F32 working tensor,
     * rows = positions from {@code call.stepStart}) is NaN or infinite.
     */
    static void require(AbstractTensor rows, int width, NonFiniteActivationException.Site site, int layer, CallContext call) {
        int n = rows.shape().first();
        if (rows.dType() == DType.F32 && !rows.shape().isSparse() && rows.shape().last() == width) {
            if (allFinite(rows, n, width)) return;
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < width; c++) {
                float v = rows.get(r, c);
                if (!Float.isFinite(v)) {
                    throw new NonFiniteActivationException(site, layer, call.stepStart + r, c, v, call.promptText);
                }
            }
        }
    }

    /** Throws if one of the {@code vocabulary} logits (a 1-D F32 tensor) of the step at {@code position} is not finite. */
    static void requireLogits(AbstractTensor logits, int vocabulary, int position, CallContext call) {
        if (logits.dType() == DType.F32 && allFinite(logits, 1, vocabulary)) return;
        for (int i = 0; i < vocabulary; i++) {
            float v = logits.get(0, i);
            if (!Float.isFinite(v)) {
                throw new NonFiniteActivationException(NonFiniteActivationException.Site.LOGITS, -1, position, i, v, call.promptText);
            }
        }
    }

    /** Whether every value of the {@code rows x width} F32 tensor {@code t} is finite. */
    private static boolean allFinite(AbstractTensor t, int rows, int width) {
        int step = SPECIES.length();
        int bound = width - width % step;
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector acc = zero;
        float tail = 0f;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < bound; c += step) acc = ((FloatVector) t.getVector(SPECIES, r, c)).fma(zero, acc);
            for (int c = bound; c < width; c++) tail += t.get(r, c) * 0f;
        }
        return acc.reduceLanes(VectorOperators.ADD) + tail == 0f;
    }
}
