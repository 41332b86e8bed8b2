package io.cna4j.eval.testing;

import io.cna4j.model.ActivationRows;

/** {@link ActivationRows} over a {@code float[rows][width]} matrix whose first row is at {@code firstPosition}. */
public final class ArrayRows implements ActivationRows {
    private final int layer;
    private final float[][] rows;
    private final int firstPosition;
    private final int promptLength;

    public ArrayRows(int layer, float[][] rows, int firstPosition, int promptLength) {
        this.layer = layer;
        this.rows = rows;
        this.firstPosition = firstPosition;
        this.promptLength = promptLength;
    }

    @Override public int layer() { return layer; }
    @Override public int rowCount() { return rows.length; }
    @Override public int width() { return rows[0].length; }
    @Override public int position(int row) { return firstPosition + row; }
    @Override public int promptLength() { return promptLength; }
    @Override public float get(int row, int column) { return rows[row][column]; }
    @Override public void set(int row, int column, float value) { rows[row][column] = value; }
    @Override public void copyRow(int row, float[] dst) { System.arraycopy(rows[row], 0, dst, 0, rows[row].length); }

    @Override
    public void addToRow(int row, float[] values, float scale) {
        for (int c = 0; c < rows[row].length; c++) rows[row][c] += scale * values[c];
    }
}
