package io.cna4j.eval.tune;

import io.cna4j.circuit.Circuit;
import io.cna4j.circuit.RecommendedSetting;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Tuning} found.
 *
 * {@snippet :
 * TuneResult r = Tuning.of(model, ranking).positive(harmful).negative(benign).run();
 * if (r.reached()) r.recommendedCircuit(ranking).save(Path.of("refusal.tuned.circuit.json"));
 * else System.out.println("target not reached; closest: " + r.closest().label());
 * }
 *
 * @param model              the model's name
 * @param goal               the goal in words
 * @param positivePrompts    name and size of the positive set, e.g. {@code "jbb-harmful, n=100"}
 * @param negativePrompts    name and size of the negative set
 * @param klPositions        answer positions compared per negative prompt
 * @param maxNewTokens       generation limit on the positive prompts
 * @param points             every evaluated setting, in evaluation order
 * @param front              the Pareto front of the fully evaluated settings: no other has a lower or equal rate and
 *                           KL and a higher or equal quality with one of them strictly better; by rate ascending
 * @param best               the setting that meets the goal best, or null when none met it
 * @param closest            when no setting met the goal: the one nearest to it (lowest rate), else null
 * @param passes             forward passes spent in all (reference included)
 * @param referencePasses    of those, the unsteered reference of the KL metric
 * @param budget             the budget in forward passes ({@link Long#MAX_VALUE} for none)
 * @param budgetExhausted    whether work was left undone for want of budget
 * @param fullSweepPasses    forward passes of measuring every grid point on every prompt: exact when every grid point
 *                           was measured in full, otherwise estimated from the mean passes per generation seen
 * @param fullSweepExact     whether {@code fullSweepPasses} is exact
 * @param warnings           problems with the input that did not stop the run (overlapping prompt sets)
 */
public record TuneResult(String model, String goal, String positivePrompts, String negativePrompts, int klPositions,
        int maxNewTokens, List<TunePoint> points, List<TunePoint> front, @Nullable TunePoint best, @Nullable TunePoint closest,
        long passes, long referencePasses, long budget, boolean budgetExhausted, long fullSweepPasses, boolean fullSweepExact,
        List<String> warnings) {

    public TuneResult {
        points = List.copyOf(points);
        front = List.copyOf(front);
        warnings = List.copyOf(warnings);
    }

    /** Whether a setting met the goal. */
    public boolean reached() {
        return best != null;
    }

    /** The best setting, or the closest one when the goal was not reached. */
    public Optional<TunePoint> recommended() {
        return Optional.ofNullable(best != null ? best : closest);
    }

    /**
     * The recommended setting as a circuit file's content: the ranking's prefix with the multiplier and its numbers.
     *
     * @throws IllegalStateException when nothing was fully evaluated
     */
    public Circuit recommendedCircuit(Circuit ranking) {
        TunePoint p = recommended().orElseThrow(() -> new IllegalStateException("no setting was fully evaluated"));
        String reason = (reached() ? "" : "TARGET NOT REACHED, closest point: ") + goal + "; " + p.label() + " on "
                + positivePrompts + " (behaviour) and " + negativePrompts + " (KL over " + klPositions + " positions); "
                + passes + " forward passes";
        return ranking.prefix(Math.max(1, p.size())).withRecommendation(new RecommendedSetting(p.multiplier(),
                p.behaviourRate(), p.kl(), Double.isNaN(p.quality()) ? 0 : p.quality(), p.mmluAccuracy(), reason));
    }
}
