package io.cna4j.circuit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A multiplier recommended for a circuit, with the measurements that justify it: what a tuner (cna-eval's
 * {@code io.cna4j.eval.tune.Tuning}) found when it steered the circuit with it. Saved in the circuit file as
 * the optional {@code "recommended"} object; files without it still load.
 *
 * {@snippet :
 * Circuit tuned = circuit.withRecommendation(new RecommendedSetting(0.25, 0.0, 0.0012, 1.0, null,
 *         "lowest KL with refusal <= 5 % on 40 positive prompts"));
 * tuned.save(Path.of("refusal.tuned.circuit.json"));
 * float m = (float) Circuit.load(Path.of("refusal.tuned.circuit.json")).recommendation().orElseThrow().multiplier();
 * }
 *
 * @param multiplier    the recommended {@code m} for {@link Circuit#steer}
 * @param behaviourRate share of the positive evaluation prompts still showing the behaviour (e.g. refusing), in [0, 1]
 * @param klDivergence  mean KL(unsteered || steered) of next-token distributions on the negative prompts, >= 0
 * @param quality       mean output quality of the steered responses, in [0, 1]
 * @param mmluAccuracy  MMLU accuracy under the setting, or null when none was measured
 * @param reason        how the setting was chosen, in words (goal, prompt counts)
 */
public record RecommendedSetting(
        double multiplier, double behaviourRate, double klDivergence, double quality, @Nullable Double mmluAccuracy,
        String reason) {

    public RecommendedSetting {
        Objects.requireNonNull(reason, "reason");
        if (!Double.isFinite(multiplier)) throw new IllegalArgumentException("multiplier must be finite, got " + multiplier);
        requireShare(behaviourRate, "behaviourRate");
        requireShare(quality, "quality");
        if (mmluAccuracy != null) requireShare(mmluAccuracy, "mmluAccuracy");
        if (!(klDivergence >= 0) || Double.isInfinite(klDivergence)) {
            throw new IllegalArgumentException("klDivergence must be finite and >= 0, got " + klDivergence);
        }
    }

    private static void requireShare(double x, String name) {
        if (!(x >= 0 && x <= 1)) throw new IllegalArgumentException(name + " must be in [0, 1], got " + x);
    }
}
