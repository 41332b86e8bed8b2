package io.cna4j.circuit.reduce;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Counts, for every neuron, in how many samples it was among the sample's {@code topCount} largest
 * activations by magnitude: the statistic behind the universal-neuron filter.
 *
 * <p>Ties at the threshold go to the lower index, so the set per sample is always exactly
 * {@code topCount} neurons and the counts do not depend on sample order or on how samples were split
 * between instances ({@link #merge} adds counts). Memory is one {@code int} per neuron.
 *
 * {@snippet :
 * var counter = new TopActivationCounter(46_080, 47);   // top 0.1 % of 46,080 neurons
 * for (float[] sample : samples) counter.add(sample);
 * int timesInTop = counter.timesInTop(1234);
 * }
 */
public final class TopActivationCounter {
    private final int width;
    private final int topCount;
    private final int[] counts;
    private final float[] scratch;
    private long samples;

    /**
     * @param width    neurons per sample
     * @param topCount how many of a sample's largest activations count, in [1, width]
     */
    public TopActivationCounter(int width, int topCount) {
        if (width <= 0) throw new IllegalArgumentException("width must be > 0, got " + width);
        if (topCount < 1 || topCount > width) {
            throw new IllegalArgumentException("topCount must be in [1, " + width + "], got " + topCount);
        }
        this.width = width;
        this.topCount = topCount;
        this.counts = new int[width];
        this.scratch = new float[width];
    }

    /**
     * Counts one sample.
     *
     * @throws IllegalArgumentException if the length is not {@code width} or a value is NaN
     */
    public void add(float[] values) {
        if (values.length != width) {
            throw new IllegalArgumentException("expected " + width + " values, got " + values.length);
        }
        for (int j = 0; j < width; j++) {
            if (Float.isNaN(values[j])) throw new IllegalArgumentException("NaN activation at index " + j);
            scratch[j] = Math.abs(values[j]);
        }
        Arrays.sort(scratch);
        float threshold = scratch[width - topCount];
        int above = 0;
        for (int j = 0; j < width; j++) {
            if (Math.abs(values[j]) > threshold) {
                counts[j]++;
                above++;
            }
        }
        int atThreshold = topCount - above;
        for (int j = 0; j < width && atThreshold > 0; j++) {
            if (Math.abs(values[j]) == threshold) {
                counts[j]++;
                atThreshold--;
            }
        }
        samples++;
    }

    /** Adds {@code other}'s counts to this one's. */
    public void merge(TopActivationCounter other) {
        if (other.width != width || other.topCount != topCount) {
            throw new IllegalArgumentException("cannot merge a counter of width " + other.width + ", top "
                    + other.topCount + " into one of width " + width + ", top " + topCount);
        }
        for (int j = 0; j < width; j++) counts[j] += other.counts[j];
        samples += other.samples;
    }

    /** An independent copy with the same counts. */
    public TopActivationCounter copy() {
        TopActivationCounter c = new TopActivationCounter(width, topCount);
        System.arraycopy(counts, 0, c.counts, 0, width);
        c.samples = samples;
        return c;
    }

    /** Whether {@code other} has the same width, top count, samples and counts. */
    public boolean sameCountsAs(TopActivationCounter other) {
        return width == other.width && topCount == other.topCount && samples == other.samples
                && Arrays.equals(counts, other.counts);
    }

    /**
     * Writes the state: {@code int width, int topCount, long samples}, then {@code width} counts as ints
     * (big-endian, {@link DataOutput}); {@link #readFrom} restores it.
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeInt(width);
        out.writeInt(topCount);
        out.writeLong(samples);
        for (int c : counts) out.writeInt(c);
    }

    /**
     * Reads what {@link #writeTo} wrote.
     *
     * @throws IOException if the data is cut short or inconsistent (a count above the samples, a bad size)
     */
    public static TopActivationCounter readFrom(DataInput in) throws IOException {
        int width = in.readInt();
        int topCount = in.readInt();
        long samples = in.readLong();
        if (width <= 0 || topCount < 1 || topCount > width || samples < 0) {
            throw new IOException("universal counter: bad width " + width + ", top " + topCount + " or samples " + samples);
        }
        TopActivationCounter c = new TopActivationCounter(width, topCount);
        long total = 0;
        for (int j = 0; j < width; j++) {
            int n = in.readInt();
            if (n < 0 || n > samples) {
                throw new IOException("universal counter: neuron " + j + " counted " + n + " times in " + samples + " samples");
            }
            c.counts[j] = n;
            total += n;
        }
        if (total != samples * topCount) {
            throw new IOException("universal counter: counts add up to " + total + ", expected " + samples + " x " + topCount);
        }
        c.samples = samples;
        return c;
    }

    /** In how many samples neuron j was among the top. */
    public int timesInTop(int j) {
        return counts[j];
    }

    /** Number of samples counted. */
    public long samples() {
        return samples;
    }

    /** Neurons per sample. */
    public int width() {
        return width;
    }

    /** How many of each sample's largest activations count. */
    public int topCount() {
        return topCount;
    }

    /**
     * The neurons (ascending) that were among the top in at least {@code prevalence} of the samples.
     *
     * @throws IllegalArgumentException if prevalence is not in (0, 1]
     * @throws IllegalStateException if no sample was counted
     */
    public int[] prevalentAtLeast(double prevalence) {
        if (!(prevalence > 0 && prevalence <= 1)) {
            throw new IllegalArgumentException("prevalence must be in (0, 1], got " + prevalence);
        }
        if (samples == 0) throw new IllegalStateException("no samples were counted");
        // smallest count c with c / samples >= prevalence; the epsilon absorbs the decimal's binary error
        long needed = (long) Math.ceil(prevalence * samples - 1e-9);
        return java.util.stream.IntStream.range(0, width).filter(j -> counts[j] >= needed).toArray();
    }
}
