package io.cna4j.gpu.pass;

import io.cna4j.model.ActivationRows;

/**
 * {@link ActivationRows} over a host copy of one hook's device rows: what a custom
 * {@link io.cna4j.model.ActivationInterceptor} sees on the slow path (the rows are copied to the host before the
 * call and back after it).
 */
final class HostRows implements ActivationRows {
    private final int layer;
    private final int rows;
    private final int width;
    private final int start;
    private final int promptLength;
    private final float[] values;

    HostRows(int layer, int rows, int width, int start, int promptLength, float[] values) {
        this.layer = layer;
        this.rows = rows;
        this.width = width;
        this.start = start;
        this.promptLength = promptLength;
        this.values = values;
    }

    @Override
    public int layer() {
        return layer;
    }

    @Override
    public int rowCount() {
        return rows;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int position(int row) {
        java.util.Objects.checkIndex(row, rows);
        return start + row;
    }

    @Override
    public int promptLength() {
        return promptLength;
    }

    @Override
    public float get(int row, int column) {
        return values[index(row, column)];
    }

    @Override
    public void set(int row, int column, float value) {
        values[index(row, column)] = value;
    }

    @Override
    public void copyRow(int row, float[] dst) {
        System.arraycopy(values, index(row, 0), dst, 0, width);
    }

    @Override
    public void addToRow(int row, float[] add, float scale) {
        int o = index(row, 0);
        for (int c = 0; c < width; c++) values[o + c] += scale * add[c];
    }

    private int index(int row, int column) {
        java.util.Objects.checkIndex(row, rows);
        java.util.Objects.checkIndex(column, width);
        return row * width + column;
    }
}
