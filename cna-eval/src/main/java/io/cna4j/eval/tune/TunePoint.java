package io.cna4j.eval.tune;

import org.jspecify.annotations.Nullable;

/**
 * One evaluated setting of a {@link Tuning}: a circuit size and multiplier with what was measured.
 *
 * {@snippet :
 * for (TunePoint p : result.front()) {
 *     System.out.printf("k=%d m=%.3f rate %.2f KL %.4f%n", p.size(), p.multiplier(), p.behaviourRate(), p.kl());
 * }
 * }
 *
 * @param size          circuit size: the ranking's first {@code size} neurons; 0 for the unsteered model ({@code m = 1})
 * @param multiplier    the multiplier m
 * @param origin        {@code "grid"}, {@code "refine"} (bisection of m) or {@code "closest"} (an unreachable target's
 *                      nearest point, measured in full)
 * @param kl            mean KL(unsteered || steered) on the negative prompts, NaN when not measured (budget)
 * @param evaluated     positive prompts generated so far
 * @param shown         of those, responses showing the behaviour (e.g. refusals)
 * @param total         positive prompts in the set
 * @param quality       mean quality of the generated responses, NaN when none
 * @param mmluAccuracy  MMLU accuracy, or null when none was measured
 * @param passes        forward passes spent on this setting
 */
public record TunePoint(int size, double multiplier, String origin, double kl, int evaluated, int shown, int total,
        double quality, @Nullable Double mmluAccuracy, long passes) {

    /** Whether every positive prompt was generated, so {@link #behaviourRate()} is exact. */
    public boolean complete() {
        return evaluated == total;
    }

    /** Whether generation stopped before the end of the positive set because the setting could not win. */
    public boolean stoppedEarly() {
        return evaluated > 0 && evaluated < total;
    }

    /** {@code shown / total} when complete; NaN otherwise. */
    public double behaviourRate() {
        return complete() ? (double) shown / total : Double.NaN;
    }

    /** The lowest rate the setting can have: {@code shown / total}. */
    public double behaviourLowerBound() {
        return (double) shown / total;
    }

    /** A short label, e.g. {@code "k=7 m=0.25"}. */
    public String label() {
        return size == 0 ? "unsteered (m=1)" : "k=" + size + " m=" + io.cna4j.eval.tune.Tuning.format(multiplier);
    }
}
