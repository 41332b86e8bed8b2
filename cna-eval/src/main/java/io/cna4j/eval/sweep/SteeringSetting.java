package io.cna4j.eval.sweep;

import java.util.Objects;

/**
 * One point of a sweep: a method and its native parameter value.
 *
 * {@snippet :
 * SteeringSetting s = new SteeringSetting(SteeringMethod.CNA, 0.5);
 * s.label();      // "CNA m=0.5"
 * s.strength();   // 0.5
 * }
 *
 * @param method how the model is steered
 * @param value  the native parameter: the multiplier {@code m} for CNA, {@code alpha} for CAA
 */
public record SteeringSetting(SteeringMethod method, double value) {

    public SteeringSetting {
        Objects.requireNonNull(method, "method");
        if (!Double.isFinite(value)) throw new IllegalArgumentException(method + " value must be finite, got " + value);
    }

    /** The common steering strength; see {@link SteeringMethod}. */
    public double strength() {
        return method.strength(value);
    }

    /** A short label such as {@code "CNA m=0.5"} or {@code "CAA alpha=-1"}. */
    public String label() {
        return method + " " + method.parameter() + "=" + format(value);
    }

    /** A number without trailing zeros, e.g. {@code 0.5}, {@code 1}, {@code -0.25}. */
    static String format(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return String.valueOf((long) x);
        return Double.toString(x);
    }
}
