package io.cna4j.eval.tune;

/**
 * What {@link Tuning} optimises over settings (circuit size, multiplier) measured by behaviour rate on the
 * positive prompts ({@code rate}, e.g. refusals) and KL divergence on the negative prompts ({@code kl}).
 *
 * <ul>
 *   <li>{@link #maxBehaviour(double)}: the lowest KL among settings whose rate is at most the target.</li>
 *   <li>{@link #weighted(double)}: the lowest {@code rate + lambda * kl}.</li>
 * </ul>
 * Each goal also gives a lower bound of its objective from a partial evaluation (the first prompts of the
 * positive set), which lets the tuner stop a setting as soon as it cannot win.
 *
 * {@snippet :
 * TuningGoal atMost5 = TuningGoal.maxBehaviour(0.05);
 * TuningGoal tradeOff = TuningGoal.weighted(2.0);
 * }
 */
public sealed interface TuningGoal {

    /** Lowest KL with a behaviour rate of at most {@code target}, in [0, 1]. */
    static TuningGoal maxBehaviour(double target) {
        return new MaxBehaviour(target);
    }

    /** Lowest {@code rate + lambda * kl}, lambda >= 0. */
    static TuningGoal weighted(double lambda) {
        return new Weighted(lambda);
    }

    /** The objective of a fully measured setting (lower is better); +infinity when it does not qualify. */
    double objective(double rate, double kl);

    /**
     * A lower bound of the objective of a setting with {@code shown} behaviour responses among the first prompts of
     * {@code total}: the remaining prompts can only add to the rate.
     */
    double lowerBound(int shown, int total, double kl);

    /** In words, for reports. */
    String describe();

    /**
     * At most {@code target} of the positive prompts may show the behaviour.
     *
     * @param target the highest acceptable rate, in [0, 1]
     */
    record MaxBehaviour(double target) implements TuningGoal {
        public MaxBehaviour {
            if (!(target >= 0 && target <= 1)) throw new IllegalArgumentException("target rate must be in [0, 1], got " + target);
        }

        /** How many of {@code total} prompts may show the behaviour. */
        public int allowance(int total) {
            return (int) Math.floor(target * total + 1e-9);
        }

        @Override
        public double objective(double rate, double kl) {
            return rate <= target + 1e-12 ? kl : Double.POSITIVE_INFINITY;
        }

        @Override
        public double lowerBound(int shown, int total, double kl) {
            return shown > allowance(total) ? Double.POSITIVE_INFINITY : kl;
        }

        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "lowest KL with behaviour rate <= %.3f", target);
        }
    }

    /**
     * A weighted sum.
     *
     * @param lambda weight of the KL divergence (nats) against the rate, >= 0
     */
    record Weighted(double lambda) implements TuningGoal {
        public Weighted {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }

        @Override
        public double objective(double rate, double kl) {
            return rate + lambda * kl;
        }

        @Override
        public double lowerBound(int shown, int total, double kl) {
            return (double) shown / total + lambda * kl;
        }

        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "lowest behaviour rate + %.3g * KL", lambda);
        }
    }
}
