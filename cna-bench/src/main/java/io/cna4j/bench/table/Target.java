package io.cna4j.bench.table;

import java.util.Locale;

/**
 * A benchmark's target on a ratio, and the verdict on a measured ratio: met only when the whole error
 * interval is on the right side, not met when it is wholly on the wrong side, inconclusive otherwise.
 *
 * @param kind  at most, at least, or none (reported for information)
 * @param bound the bound
 */
public record Target(Kind kind, double bound) {

    /** Which side of the bound meets the target. */
    public enum Kind {
        /** The ratio must be at most the bound. */
        AT_MOST,
        /** The ratio must be at least the bound. */
        AT_LEAST,
        /** No target: the ratio is information. */
        NONE
    }

    /** At most {@code bound}. */
    public static Target atMost(double bound) {
        return new Target(Kind.AT_MOST, bound);
    }

    /** At least {@code bound}. */
    public static Target atLeast(double bound) {
        return new Target(Kind.AT_LEAST, bound);
    }

    /** For information only. */
    public static Target none() {
        return new Target(Kind.NONE, Double.NaN);
    }

    /** The verdict on {@code ratio}: {@code yes}, {@code no}, {@code inconclusive (...)} or {@code —}. */
    public String verdict(Estimate ratio) {
        if (kind == Kind.NONE) return "—";
        double e = ratio.hasError() ? ratio.error() : 0;
        double lo = ratio.value() - e, hi = ratio.value() + e;
        boolean met = kind == Kind.AT_MOST ? hi <= bound : lo >= bound;
        boolean missed = kind == Kind.AT_MOST ? lo > bound : hi < bound;
        String single = ratio.hasError() ? "" : " (no error estimate)";
        if (met) return "yes" + single;
        if (missed) return "**no**" + single;
        return "inconclusive (error exceeds the margin)";
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AT_MOST -> String.format(Locale.ROOT, "≤ %s", trim(bound));
            case AT_LEAST -> String.format(Locale.ROOT, "≥ %s", trim(bound));
            case NONE -> "— (information)";
        };
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
