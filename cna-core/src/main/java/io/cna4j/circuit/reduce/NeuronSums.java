package io.cna4j.circuit.reduce;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Exact running sums of one activation per neuron per sample (here: per prompt), for every MLP neuron of a
 * model: the reduction under circuit discovery.
 *
 * <p>For each of {@link #width()} neurons it keeps the sum of the values it has been given as a double-double
 * pair accumulated with TwoSum on a fixed grain (see {@code ExactSum}). (It no longer keeps a sum of squares:
 * that fed only a variance no user-facing result read, at half of the reducer's work.)
 * Every sum is therefore exact, which buys three things plain {@code double} summation does not have:
 * <ul>
 *   <li>the result does not depend on the order of the samples, nor on how they were split between
 *       threads: {@code a.merge(b)} equals one pass over both halves, bit for bit;</li>
 *   <li>the {@link #vector SIMD} and the {@link #scalar scalar reference} implementations agree bit for
 *       bit;</li>
 *   <li>memory is two {@code double}s per neuron whatever the number of samples.</li>
 * </ul>
 * The guarantee holds for activations with {@code |x| < }{@link #MAX_ABS_ACTIVATION} (2^20) and at most
 * {@link #MAX_COUNT} (2^24) samples; other values (NaN and infinities included) are rejected. Values below
 * about 7e-12 in magnitude are rounded to a multiple of 2^-60 before they are added: far below anything that changes a mean.
 *
 * <p>Not thread-safe: give each thread its own instance and {@link #merge} them at the end.
 *
 * {@snippet :
 * NeuronSums sums = NeuronSums.vector(model.info().layers() * model.info().neuronsPerLayer());
 * for (float[] lastTokenActivations : samples) {   // one value per neuron, layer after layer
 *     sums.add(lastTokenActivations);
 * }
 * double meanOfNeuron7 = sums.mean(7);
 * }
 */
public abstract sealed class NeuronSums permits VectorNeuronSums, ScalarNeuronSums {

    /** Largest supported activation magnitude (exclusive): 2^20. */
    public static final float MAX_ABS_ACTIVATION = 0x1p20f;
    /** Most samples one instance (or a merge of several) may hold: 2^24. */
    public static final long MAX_COUNT = 1L << 24;

    final int width;
    final double[] sumHi;
    final double[] sumLo;
    long count;

    NeuronSums(int width) {
        if (width <= 0) throw new IllegalArgumentException("width must be > 0, got " + width);
        this.width = width;
        this.sumHi = new double[width];
        this.sumLo = new double[width];
    }

    /** Sums updated with the Vector API ({@code jdk.incubator.vector}); the one to use. */
    public static NeuronSums vector(int width) {
        return new VectorNeuronSums(width);
    }

    /** The plain scalar loop over the same arithmetic: the reference for tests and benchmarks. */
    public static NeuronSums scalar(int width) {
        return new ScalarNeuronSums(width);
    }

    /** Number of neurons. */
    public final int width() {
        return width;
    }

    /** Number of samples added (merged ones included). */
    public final long count() {
        return count;
    }

    /**
     * Adds one sample: {@code values[j]} is neuron j's activation.
     *
     * @throws IllegalArgumentException if {@code values.length != width()}, or a value is NaN, infinite or
     *         {@code |x| >= MAX_ABS_ACTIVATION} (the message names its index; nothing is added then)
     * @throws IllegalStateException if {@link #MAX_COUNT} samples were already added
     */
    public final void add(float[] values) {
        if (values.length != width) {
            throw new IllegalArgumentException("expected " + width + " values, got " + values.length);
        }
        int bad = findUnsupported(values);
        if (bad >= 0) {
            throw new IllegalArgumentException("unsupported activation " + values[bad] + " at index " + bad
                    + " (must be finite with |x| < 2^20)");
        }
        if (count >= MAX_COUNT) {
            throw new IllegalStateException("more than " + MAX_COUNT + " samples: exact summation is not guaranteed");
        }
        accumulate(values);
        count++;
    }

    /**
     * The index of the first value that {@link #add} rejects (NaN, infinite, or {@code |x| >= 2^20}),
     * or -1 when all are supported.
     */
    public static int firstUnsupported(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!(Math.abs(values[i]) < MAX_ABS_ACTIVATION)) return i;
        }
        return -1;
    }

    /** {@link #firstUnsupported}, as fast as the implementation can check it. */
    int findUnsupported(float[] values) {
        return firstUnsupported(values);
    }

    /** Adds the already validated sample to the sums. */
    abstract void accumulate(float[] values);

    /**
     * Adds {@code other}'s samples to this one's, exactly: afterwards this holds what one pass over both
     * sample sets would hold. {@code other} is unchanged.
     *
     * @throws IllegalArgumentException if the widths differ
     * @throws IllegalStateException if the merged count would exceed {@link #MAX_COUNT}
     */
    public final void merge(NeuronSums other) {
        if (other.width != width) {
            throw new IllegalArgumentException("cannot merge sums of " + other.width + " neurons into " + width);
        }
        if (count + other.count > MAX_COUNT) {
            throw new IllegalStateException("more than " + MAX_COUNT + " samples: exact summation is not guaranteed");
        }
        for (int j = 0; j < width; j++) {
            ExactSum.addPair(sumHi, sumLo, j, other.sumHi[j], other.sumLo[j]);
        }
        count += other.count;
    }

    /** The exact sum of neuron j's values, rounded once to the nearest double. */
    public final double sum(int j) {
        return sumHi[j] + sumLo[j];
    }

    /**
     * Neuron j's mean.
     *
     * @throws IllegalStateException when no sample was added
     */
    public final double mean(int j) {
        requireSamples();
        return sum(j) / count;
    }

    /** Every neuron's mean, in neuron order. */
    public final double[] means() {
        requireSamples();
        double[] m = new double[width];
        for (int j = 0; j < width; j++) m[j] = sum(j) / count;
        return m;
    }

    /** Whether {@code other} holds the same count and bit-identical sums (the determinism check). */
    public final boolean sameSumsAs(NeuronSums other) {
        return count == other.count
                && Arrays.equals(sumHi, other.sumHi)
                && Arrays.equals(sumLo, other.sumLo);
    }

    /** An independent copy holding the same samples (same implementation, same bits). */
    public final NeuronSums copy() {
        NeuronSums c = this instanceof VectorNeuronSums ? new VectorNeuronSums(width) : new ScalarNeuronSums(width);
        System.arraycopy(sumHi, 0, c.sumHi, 0, width);
        System.arraycopy(sumLo, 0, c.sumLo, 0, width);
        c.count = count;
        return c;
    }

    /**
     * Writes the exact state: {@code int width, long count}, then {@code width} high parts and {@code width}
     * low parts as IEEE doubles (big-endian, {@link DataOutput}). {@link #readFrom} restores it bit for bit.
     */
    public final void writeTo(DataOutput out) throws IOException {
        out.writeInt(width);
        out.writeLong(count);
        for (double v : sumHi) out.writeDouble(v);
        for (double v : sumLo) out.writeDouble(v);
    }

    /**
     * Reads what {@link #writeTo} wrote into {@link #vector} sums.
     *
     * @param what names the sums in error messages, e.g. {@code "positive sums"}
     * @throws IOException if the data is cut short or is not a valid state (the message says which value)
     */
    public static NeuronSums readFrom(DataInput in, String what) throws IOException {
        int width = in.readInt();
        long count = in.readLong();
        if (width <= 0) throw new IOException(what + ": width must be > 0, got " + width);
        if (count < 0 || count > MAX_COUNT) throw new IOException(what + ": count " + count + " outside [0, " + MAX_COUNT + "]");
        NeuronSums s = new VectorNeuronSums(width);
        for (int j = 0; j < width; j++) s.sumHi[j] = in.readDouble();
        for (int j = 0; j < width; j++) {
            double lo = in.readDouble();
            double hi = s.sumHi[j];
            // a normalised pair: both finite and lo below half an ulp of hi, so hi + lo rounds to hi
            if (!Double.isFinite(hi) || !Double.isFinite(lo) || hi + lo != hi) {
                throw new IOException(what + ": neuron " + j + " holds no exact sum (" + hi + ", " + lo + ")");
            }
            s.sumLo[j] = lo;
        }
        if (count == 0) {
            for (int j = 0; j < width; j++) {
                if (s.sumHi[j] != 0) throw new IOException(what + ": no samples but neuron " + j + " sums to " + s.sumHi[j]);
            }
        }
        s.count = count;
        return s;
    }

    private void requireSamples() {
        if (count == 0) throw new IllegalStateException("no samples were added");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[width=" + width + ", count=" + count + "]";
    }
}
