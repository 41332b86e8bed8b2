package io.cna4j.jlama;

import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.safetensors.DType;
import io.cna4j.model.ActivationRows;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ActivationRows} over one of jlama's 2-D working tensors (rows = positions of the step).
 *
 * <p>The bulk operations are one call per layer and hook, checked once, not once per value:
 * {@link #scaleColumns} (behind {@code NeuronMultipliers}) multiplies the given columns of every row on the
 * tensor itself; {@link #addToRow} (behind {@code AddAtHook}) and {@link #copyRow} run over the row with the
 * Vector API when the tensor is dense F32 (jlama's working type for cna4j's models), with the same float
 * arithmetic as the per-value path ({@code x * f}, {@code x + scale * v}, each rounded once; no fused
 * multiply-add), so results are bit-identical. (Raw memory access through {@code java.lang.foreign} would
 * spare jlama's accessor for the scattered columns too, but it is a preview API in Java 21, cna4j's target.)
 */
final class TensorRows implements ActivationRows {
    private final int layer;
    private final AbstractTensor tensor;
    private final int rows;
    private final int width;
    private final int stepStart;
    private final int promptLength;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Whether the tensor is dense F32, so rows can be read and written as float vectors. */
    private final boolean vectors;

    TensorRows(int layer, AbstractTensor tensor, int width, int stepStart, int promptLength) {
        this.layer = layer;
        this.tensor = tensor;
        this.rows = tensor.shape().first();
        this.width = width;
        this.stepStart = stepStart;
        this.promptLength = promptLength;
        this.vectors = tensor.dType() == DType.F32 && !tensor.shape().isSparse();
    }

    @Override public int layer() { return layer; }
    @Override public int rowCount() { return rows; }
    @Override public int width() { return width; }
    @Override public int promptLength() { return promptLength; }

    @Override
    public int position(int row) {
        check(row, 0);
        return stepStart + row;
    }

    @Override
    public float get(int row, int column) {
        check(row, column);
        return tensor.get(row, column);
    }

    @Override
    public void set(int row, int column, float value) {
        check(row, column);
        tensor.set(value, row, column);
    }

    @Override
    public void copyRow(int row, float[] dst) {
        check(row, 0);
        if (dst.length < width) throw new IllegalArgumentException("destination holds " + dst.length + " values, the row " + width);
        int c = 0;
        if (vectors) {
            for (int bound = SPECIES.loopBound(width); c < bound; c += SPECIES.length()) {
                ((FloatVector) tensor.getVector(SPECIES, row, c)).intoArray(dst, c);
            }
        }
        for (; c < width; c++) dst[c] = tensor.get(row, c);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void addToRow(int row, float[] values, float scale) {
        check(row, 0);
        if (values.length < width) throw new IllegalArgumentException("values hold " + values.length + ", the row " + width);
        int c = 0;
        if (vectors) {
            AbstractTensor<FloatVector, Float> t = tensor;
            for (int bound = SPECIES.loopBound(width); c < bound; c += SPECIES.length()) {
                FloatVector x = t.getVector(SPECIES, row, c);
                t.intoTensor(x.add(FloatVector.fromArray(SPECIES, values, c).mul(scale)), row, c);
            }
        }
        for (; c < width; c++) tensor.set(tensor.get(row, c) + scale * values[c], row, c);
    }

    @Override
    public void scaleColumns(int[] columns, float[] factors) {
        if (columns.length != factors.length) {
            throw new IllegalArgumentException(columns.length + " columns but " + factors.length + " factors");
        }
        for (int column : columns) check(0, column);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < columns.length; i++) tensor.set(tensor.get(r, columns[i]) * factors[i], r, columns[i]);
        }
    }

    private void check(int row, int column) {
        if (row < 0 || row >= rows || column < 0 || column >= width) {
            throw new IndexOutOfBoundsException("(" + row + ", " + column + ") outside " + rows + " x " + width + " at layer " + layer);
        }
    }
}
