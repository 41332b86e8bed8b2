package io.cna4j.examples;

import io.cna4j.eval.sweep.SettingResult;
import io.cna4j.eval.sweep.SteeringMethod;
import io.cna4j.eval.sweep.SweepResult;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code summary.json} holds, so that scripts can check a run of the main job.
 *
 * {@snippet :
 * RunSummary s = new ObjectMapper().readValue(Path.of("cna-report/summary.json").toFile(), RunSummary.class);
 * }
 *
 * @param model             the model (folder, Hub id, or the constructed model's description)
 * @param plantedRecall     share of the planted gate neurons that discovery found; null for a real model
 * @param circuitSize       neurons in the circuit
 * @param universalRemoved  neurons the universal filter removed
 * @param cna               refusal rate and quality per multiplier m
 * @param caa               refusal rate and quality per alpha
 * @param baseRefusalChange the base model's refusal rate at m = 0 minus at m = 1; null without a base model
 * @param wallSeconds       the whole run's wall time
 */
public record RunSummary(
        String model,
        @Nullable Double plantedRecall,
        int circuitSize,
        int universalRemoved,
        List<CnaPoint> cna,
        List<CaaPoint> caa,
        @Nullable Double baseRefusalChange,
        double wallSeconds) {

    /** One CNA setting. */
    public record CnaPoint(double m, double refusalRate, double quality) {}

    /** One CAA setting. */
    public record CaaPoint(double alpha, double refusalRate, double quality) {}

    static List<CnaPoint> cna(SweepResult r) {
        return r.results().stream().filter(s -> s.setting().method() == SteeringMethod.CNA)
                .map(s -> new CnaPoint(s.setting().value(), s.refusalRate(), s.meanQuality())).toList();
    }

    static List<CaaPoint> caa(SweepResult r) {
        return r.results().stream().filter(s -> s.setting().method() == SteeringMethod.CAA)
                .map(s -> new CaaPoint(s.setting().value(), s.refusalRate(), s.meanQuality())).toList();
    }

    /** Refusal rate at the CNA multiplier {@code m}; NaN if the sweep did not run it. */
    static double refusalAt(SweepResult r, double m) {
        return r.results().stream().filter(s -> s.setting().method() == SteeringMethod.CNA && s.setting().value() == m)
                .mapToDouble(SettingResult::refusalRate).findFirst().orElse(Double.NaN);
    }
}
