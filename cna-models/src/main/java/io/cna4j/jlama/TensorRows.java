package io.cna4j.jlama;

import com.github.tjake.jlama.tensor.AbstractTensor;
import io.cna4j.model.ActivationRows;

/** {@link ActivationRows} over one of jlama's 2-D working tensors (rows = positions of the step). */
final class TensorRows implements ActivationRows {
    private final int layer;
    private final AbstractTensor tensor;
    private final int rows;
    private final int width;
    private final int stepStart;
    private final int promptLength;

    TensorRows(int layer, AbstractTensor tensor, int width, int stepStart, int promptLength) {
        this.layer = layer;
        this.tensor = tensor;
        this.rows = tensor.shape().first();
        this.width = width;
        this.stepStart = stepStart;
        this.promptLength = promptLength;
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
        for (int c = 0; c < width; c++) dst[c] = tensor.get(row, c);
    }

    @Override
    public void addToRow(int row, float[] values, float scale) {
        check(row, 0);
        if (values.length < width) throw new IllegalArgumentException("values hold " + values.length + ", the row " + width);
        for (int c = 0; c < width; c++) tensor.set(tensor.get(row, c) + scale * values[c], row, c);
    }

    private void check(int row, int column) {
        if (row < 0 || row >= rows || column < 0 || column >= width) {
            throw new IndexOutOfBoundsException("(" + row + ", " + column + ") outside " + rows + " x " + width + " at layer " + layer);
        }
    }
}
