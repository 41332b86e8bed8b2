package io.cna4j.bench.table;

/**
 * JMH's score units: converting a score to seconds (time per operation) or to a rate per second, and
 * printing times in a readable unit.
 */
final class Units {
    private Units() {}

    /** Seconds in one {@code s}, {@code ms}, {@code us} or {@code ns}. */
    static double seconds(String timeUnit) {
        return switch (timeUnit) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us", "µs" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("unknown time unit '" + timeUnit + "'");
        };
    }

    /** A time-per-operation score ({@code ms/op}, {@code s/op}, ...) in seconds. */
    static Estimate toSeconds(Estimate score, String unit) {
        if (!unit.endsWith("/op")) throw new IllegalArgumentException("not a time per operation: " + unit);
        return score.times(seconds(unit.substring(0, unit.length() - 3)));
    }

    /**
     * A counter's rate per second, from an operations counter reported either as time per unit
     * ({@code ms/op}, average-time mode) or as units per time ({@code ops/s}, throughput mode).
     */
    static Estimate perSecond(Estimate score, String unit) {
        if (unit.endsWith("/op")) return toSeconds(score, unit).inverse();
        if (unit.startsWith("ops/")) return score.times(1 / seconds(unit.substring(4)));
        throw new IllegalArgumentException("not a rate or a time per operation: " + unit);
    }

    /** A time in seconds, printed in ms (or µs below 1 ms, s above 100 s) with its error. */
    static String time(Estimate seconds) {
        double v = Math.abs(seconds.value());
        if (v < 1e-3) return seconds.times(1e6).format() + " µs";
        if (v >= 100) return seconds.format() + " s";
        return seconds.times(1e3).format() + " ms";
    }

    /** Bytes as MiB with one decimal. */
    static String mebibytes(Estimate bytes) {
        return bytes.times(1.0 / (1 << 20)).format(1) + " MiB";
    }
}
