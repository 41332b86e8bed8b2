package io.cna4j.model;

/**
 * A mutable view of one layer's MLP activations during one forward step: a matrix of
 * {@link #rowCount()} positions by {@link #width()} values.
 *
 * <p>Depending on the hook it is either the down projection's input ({@code act(gate(x)) * up(x)}, width =
 * neurons per layer) or its output (width = hidden size). During the prompt's prefill the rows are the
 * prompt's positions; during generation there is one row per step, the newly generated token.
 *
 * <p>The view is valid only inside the interceptor call that received it: do not keep it.
 *
 * {@snippet :
 * // inside ActivationInterceptor.onMlpActivation(rows):
 * if (rows.layer() == 27) {
 *     for (int r = 0; r < rows.rowCount(); r++) {
 *         rows.set(r, 1023, rows.get(r, 1023) * 0f);   // ablate neuron 1023 of layer 27
 *     }
 * }
 * }
 */
public interface ActivationRows {

    /** The transformer layer these activations belong to, from 0. */
    int layer();

    /** Number of positions in this step (prompt length during prefill, 1 while decoding). */
    int rowCount();

    /** Values per row: neurons per layer for the down projection's input, hidden size for its output. */
    int width();

    /** The absolute token position of {@code row} in the sequence (BOS is position 0). */
    int position(int row);

    /** Number of tokens of the formatted prompt; position {@code promptLength() - 1} is its last token. */
    int promptLength();

    /** Whether {@code row} holds the last token of the prompt: the one that discovery records. */
    default boolean isLastPromptToken(int row) {
        return position(row) == promptLength() - 1;
    }

    /** Whether this step is part of the prompt's prefill (true) or of generation (false). */
    default boolean isPrefill() {
        return position(0) < promptLength();
    }

    /** The value at ({@code row}, {@code column}). */
    float get(int row, int column);

    /** Sets the value at ({@code row}, {@code column}). */
    void set(int row, int column, float value);

    /** Copies row {@code row} into {@code dst[0..width())}. */
    void copyRow(int row, float[] dst);

    /** Adds {@code scale * values[c]} to every column {@code c} of row {@code row}. */
    void addToRow(int row, float[] values, float scale);

    /**
     * Multiplies, in every row, column {@code columns[i]} by {@code factors[i]}: the bulk operation behind
     * {@link NeuronMultipliers}. The arrays are only read. The default calls {@link #get} and {@link #set} per
     * value; a backend overrides it to work on its tensor directly, with the same float arithmetic.
     *
     * @throws IndexOutOfBoundsException if a column is outside {@code [0, width())}
     * @throws IllegalArgumentException if the arrays differ in length
     */
    default void scaleColumns(int[] columns, float[] factors) {
        if (columns.length != factors.length) {
            throw new IllegalArgumentException(columns.length + " columns but " + factors.length + " factors");
        }
        for (int r = 0; r < rowCount(); r++) {
            for (int i = 0; i < columns.length; i++) set(r, columns[i], get(r, columns[i]) * factors[i]);
        }
    }
}
