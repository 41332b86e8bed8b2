package io.cna4j.testing;

import io.cna4j.model.ActivationRows;

/**
 * {@link ActivationRows} over a {@code float[rows][width]} matrix whose first row is at {@code firstPosition}: the
 * one array-backed test double for the interceptor SPI, shared with other modules' tests through cna-core's
 * test-jar ({@code <type>test-jar</type>}, scope test).
 *
 * {@snippet :
 * float[][] rows = {{1, 2, 3}};
 * interceptor.onMlpActivation(new ArrayRows(0, rows, 0, 1));   // layer 0, one row at position 0, prompt of 1 token
 * assertThat(rows[0][1]).isEqualTo(0f);                         // what the interceptor wrote
 * }
 */
public class ArrayRows implements ActivationRows {
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

    /** The sum of every value, to see an interceptor's effect in one number. */
    public double sum() {
        double s = 0;
        for (float[] r : rows) for (float v : r) s += v;
        return s;
    }
}
