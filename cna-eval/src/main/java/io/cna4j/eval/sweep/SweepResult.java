package io.cna4j.eval.sweep;

import java.util.Comparator;
import java.util.List;

/**
 * All settings of one sweep, in the order they ran, with what was swept over.
 *
 * {@snippet :
 * SweepResult r = Sweep.over(model, harmful).cna(m -> circuit.steer((float) m)).run();
 * List<SettingResult> cna = r.byStrength(SteeringMethod.CNA);
 * SweepReport.write(r, Path.of("cna-report"));
 * }
 *
 * @param model        the model's name
 * @param promptSet    the prompt set's name
 * @param promptCount  prompts per setting
 * @param maxNewTokens generation limit per response
 * @param results      one result per setting, in run order
 */
public record SweepResult(String model, String promptSet, int promptCount, int maxNewTokens, List<SettingResult> results) {

    public SweepResult {
        results = List.copyOf(results);
    }

    /** The results of {@code method}, by increasing steering strength. */
    public List<SettingResult> byStrength(SteeringMethod method) {
        return results.stream()
                .filter(r -> r.setting().method() == method)
                .sorted(Comparator.comparingDouble(SettingResult::strength))
                .toList();
    }

    /** Whether any setting measured MMLU. */
    public boolean hasMmlu() {
        return results.stream().anyMatch(r -> r.mmlu() != null);
    }
}
