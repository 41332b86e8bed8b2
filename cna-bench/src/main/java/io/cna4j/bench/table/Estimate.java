package io.cna4j.bench.table;

import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.util.ListStatistics;

/**
 * A measured value and the half-width of its 99.9 % confidence interval, as JMH reports scores. The error
 * is {@code NaN} when unknown (JMH gives none for fewer than 3 samples).
 *
 * @param value the estimate
 * @param error half-width of its 99.9 % interval, or {@code NaN}
 */
public record Estimate(double value, double error) {

    /** The mean of {@code samples} with JMH's error (Student's t at 99.9 %; {@code NaN} for fewer than 3 samples). */
    public static Estimate ofSamples(List<Double> samples) {
        ListStatistics s = new ListStatistics();
        samples.forEach(s::addValue);
        return new Estimate(s.getMean(), s.getMeanErrorAt(0.999));
    }

    /** Whether the error is known. */
    public boolean hasError() {
        return !Double.isNaN(error);
    }

    /** {@code error / |value|}. */
    public double relativeError() {
        return error / Math.abs(value);
    }

    /**
     * This divided by {@code other}, the relative errors combined in quadrature (first-order propagation for
     * independent measurements).
     */
    public Estimate over(Estimate other) {
        double v = value / other.value;
        double re = Math.hypot(relativeError(), other.relativeError());
        return new Estimate(v, Math.abs(v) * re);
    }

    /** {@code 1 / this}, with the same relative error. */
    public Estimate inverse() {
        double v = 1 / value;
        return new Estimate(v, Math.abs(v) * relativeError());
    }

    /** This times {@code factor} (exact). */
    public Estimate times(double factor) {
        return new Estimate(value * factor, error * Math.abs(factor));
    }

    /** {@code value ± error} with {@code decimals} decimals, or the value alone when the error is unknown. */
    public String format(int decimals) {
        String f = "%." + decimals + "f";
        return hasError() ? String.format(Locale.ROOT, f + " ± " + f, value, error) : String.format(Locale.ROOT, f, value);
    }

    /** {@link #format(int)} with as many decimals as 3 significant digits of the value need (0 to 3). */
    public String format() {
        double a = Math.abs(value);
        int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
        return format(decimals);
    }
}
