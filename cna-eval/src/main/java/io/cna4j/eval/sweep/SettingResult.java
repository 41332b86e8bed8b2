package io.cna4j.eval.sweep;

import io.cna4j.eval.mmlu.MmluResult;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a sweep measured at one setting.
 *
 * {@snippet :
 * for (SettingResult r : sweep.results()) {
 *     System.out.printf("%-16s strength %5.2f refusal %5.1f %% quality %.2f%n",
 *             r.setting().label(), r.strength(), 100 * r.refusalRate(), r.meanQuality());
 * }
 * }
 *
 * @param setting          the method and native value
 * @param strength         the common steering strength (see {@link SteeringMethod})
 * @param prompts          number of prompts generated
 * @param refused          how many responses the classifier called refusals
 * @param refusalRate      {@code refused / prompts}
 * @param meanQuality      mean repetition quality of all responses
 * @param mmlu             MMLU accuracy under this setting, or null when the sweep measured none
 * @param examples         the first few prompts with their responses
 * @param generatedTokens  tokens generated over all prompts
 * @param generationSeconds wall time of the generations
 * @param mmluSeconds      wall time of the MMLU evaluation (0 without one)
 * @param failure          why the setting could not run (the model's NaN/overflow message), or null when it ran;
 *                         a failed setting has NaN {@code refusalRate} and {@code meanQuality}
 */
public record SettingResult(
        SteeringSetting setting,
        double strength,
        int prompts,
        int refused,
        double refusalRate,
        double meanQuality,
        @Nullable MmluResult mmlu,
        List<ExampleResponse> examples,
        long generatedTokens,
        double generationSeconds,
        double mmluSeconds,
        @Nullable String failure) {

    public SettingResult {
        examples = List.copyOf(examples);
    }

    /** A setting that ran to the end (no {@code failure}). */
    public SettingResult(SteeringSetting setting, double strength, int prompts, int refused, double refusalRate,
            double meanQuality, @Nullable MmluResult mmlu, List<ExampleResponse> examples, long generatedTokens,
            double generationSeconds, double mmluSeconds) {
        this(setting, strength, prompts, refused, refusalRate, meanQuality, mmlu, examples, generatedTokens,
                generationSeconds, mmluSeconds, null);
    }

    /**
     * A setting the model could not run: a generation produced NaN, infinite or overflowing values (a
     * multiplier such as 1e30). Its rates and quality are NaN (not measured), never "not refused".
     */
    public static SettingResult failed(SteeringSetting setting, double strength, int prompts, String failure,
            double generationSeconds) {
        return new SettingResult(setting, strength, prompts, 0, Double.NaN, Double.NaN, null, List.of(), 0,
                generationSeconds, 0, failure);
    }

    /** Whether the setting failed to run (see {@link #failure()}). */
    public boolean failed() {
        return failure != null;
    }

    /** Generated tokens per second of generation wall time; 0 when too quick to measure. */
    public double tokensPerSecond() {
        return generationSeconds <= 0 ? 0 : generatedTokens / generationSeconds;
    }
}
