package io.cna4j.eval.sweep;

import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.mmlu.MmluEvaluator;
import io.cna4j.eval.mmlu.MmluResult;
import io.cna4j.eval.quality.RepetitionQuality;
import io.cna4j.eval.refusal.RefusalClassifier;
import io.cna4j.eval.refusal.RefusalVerdict;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.Generation;
import io.cna4j.model.NonFiniteActivationException;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.progress.ProgressListener;
import io.cna4j.progress.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Runs one prompt set through a model under several steering settings and measures each: refusal rate
 * ({@link RefusalClassifier}), mean quality ({@link RepetitionQuality}), optionally MMLU accuracy, a few example
 * responses, and timing. The front door of the {@code sweep} package.
 *
 * <p>Steering comes in as functions from a native value to an interceptor, so any steerer plugs in: for CNA
 * {@code m -> circuit.steer((float) m)}, for CAA {@code caaVector::steer}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@link #cna(DoubleFunction, double...)}</td><td>multipliers {@link #DEFAULT_MULTIPLIERS}</td></tr>
 *   <tr><td>{@link #caa(DoubleFunction, double...)}</td><td>alphas {@link #DEFAULT_ALPHAS} (the same strengths as
 *       the default multipliers)</td></tr>
 *   <tr><td>{@link #maxNewTokens(int)}</td><td>{@value #DEFAULT_MAX_NEW_TOKENS}, greedy</td></tr>
 *   <tr><td>{@link #classifier(RefusalClassifier)}</td><td>{@link RefusalClassifier#defaults()}</td></tr>
 *   <tr><td>{@link #mmlu(MmluEvaluator)}</td><td>none</td></tr>
 *   <tr><td>{@link #examples(int)}</td><td>{@value #DEFAULT_EXAMPLES}: the first prompts of the set, the same for every
 *       setting</td></tr>
 *   <tr><td>{@link #onProgress(ProgressListener)}</td><td>none; stage {@code "sweep"} counts prompts over all
 *       settings, MMLU reports as stage {@code "mmlu"}</td></tr>
 * </table>
 * Prompts are chat-formatted when the model has a chat template, raw otherwise. Settings run in order: CNA's,
 * then CAA's. A setting under which the model produces NaN, infinite or overflowing values
 * ({@link NonFiniteActivationException}, e.g. a multiplier of 1e30) is reported as failed
 * ({@link SettingResult#failed()}, rates NaN), not as a setting that was not refused; the sweep goes on.
 *
 * {@snippet :
 * CaaVector caa = CaaVector.compute(model, harmful, benign, ProgressListener.NONE);
 * SweepResult result = Sweep.over(model, harmful)
 *         .cna(m -> circuit.steer((float) m))                 // m = 0, 0.25, 0.5, 0.75, 1, 1.5, 2
 *         .caa(caa::steer, -1, -0.5, 0)                        // alphas of your choice
 *         .mmlu(MmluEvaluator.zeroShot(MmluDataset.load(mmluDir, 5, 20)))
 *         .onProgress(p -> System.out.printf("%d/%d, %s left%n", p.done(), p.total(), p.remaining()))
 *         .run();
 * SweepReport.write(result, Path.of("cna-report"));
 * }
 */
public final class Sweep {
    /** CNA multipliers swept by default. */
    public static final List<Double> DEFAULT_MULTIPLIERS = List.of(0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0);
    /** CAA alphas swept by default: strengths 1 .. -1 like {@link #DEFAULT_MULTIPLIERS}. */
    public static final List<Double> DEFAULT_ALPHAS = List.of(-1.0, -0.75, -0.5, -0.25, 0.0, 0.5, 1.0);
    /** Generation limit per response by default. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 150;
    /** Example responses kept per setting by default. */
    public static final int DEFAULT_EXAMPLES = 3;

    private record Planned(SteeringSetting setting, DoubleFunction<Intervention> steer) {}

    private final SteerableModel model;
    private final PromptSet prompts;
    private final List<Planned> cna = new ArrayList<>();
    private final List<Planned> caa = new ArrayList<>();
    private int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
    private RefusalClassifier classifier = RefusalClassifier.defaults();
    private @Nullable MmluEvaluator mmlu;
    private int examples = DEFAULT_EXAMPLES;
    private ProgressListener progress = ProgressListener.NONE;

    private Sweep(SteerableModel model, PromptSet prompts) {
        this.model = Objects.requireNonNull(model, "model");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
    }

    /** A sweep of {@code model} over {@code prompts}, with no settings yet. */
    public static Sweep over(SteerableModel model, PromptSet prompts) {
        return new Sweep(model, prompts);
    }

    /** CNA at the default multipliers; {@code steer} maps a multiplier m to its interceptor. */
    public Sweep cna(DoubleFunction<Intervention> steer) {
        return cna(steer, DEFAULT_MULTIPLIERS.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** CNA at the given multipliers (replacing earlier ones). */
    public Sweep cna(DoubleFunction<Intervention> steer, double... multipliers) {
        set(cna, SteeringMethod.CNA, steer, multipliers);
        return this;
    }

    /** CAA at the default alphas; {@code steer} maps alpha to its interceptor, e.g. {@code caaVector::steer}. */
    public Sweep caa(DoubleFunction<Intervention> steer) {
        return caa(steer, DEFAULT_ALPHAS.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** CAA at the given alphas (replacing earlier ones). */
    public Sweep caa(DoubleFunction<Intervention> steer, double... alphas) {
        set(caa, SteeringMethod.CAA, steer, alphas);
        return this;
    }

    private static void set(List<Planned> into, SteeringMethod method, DoubleFunction<Intervention> steer,
            double[] values) {
        Objects.requireNonNull(steer, "steer");
        if (values.length == 0) {
            throw new IllegalArgumentException("no " + method + " values given: pass at least one " + method.parameter());
        }
        into.clear();
        for (double v : values) into.add(new Planned(new SteeringSetting(method, v), steer));
    }

    /** At most {@code n} new tokens per response (greedy). */
    public Sweep maxNewTokens(int n) {
        if (n < 1) throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + n);
        this.maxNewTokens = n;
        return this;
    }

    /** The refusal classifier. */
    public Sweep classifier(RefusalClassifier classifier) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        return this;
    }

    /** Also measures MMLU accuracy at every setting. */
    public Sweep mmlu(MmluEvaluator evaluator) {
        this.mmlu = Objects.requireNonNull(evaluator, "evaluator");
        return this;
    }

    /** Keeps {@code n} example responses per setting (0 for none). */
    public Sweep examples(int n) {
        if (n < 0) throw new IllegalArgumentException("examples must be >= 0, got " + n);
        this.examples = n;
        return this;
    }

    /** Receives progress after every prompt (stage {@code "sweep"}) and every MMLU question (stage {@code "mmlu"}). */
    public Sweep onProgress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The settings that {@link #run()} will run, in order. */
    public List<SteeringSetting> settings() {
        List<SteeringSetting> all = new ArrayList<>();
        for (Planned p : cna) all.add(p.setting());
        for (Planned p : caa) all.add(p.setting());
        return all;
    }

    /**
     * Runs every setting.
     *
     * @throws IllegalStateException if no settings were added
     */
    public SweepResult run() {
        List<Planned> plan = new ArrayList<>(cna);
        plan.addAll(caa);
        if (plan.isEmpty()) {
            throw new IllegalStateException("sweep has no settings: add CNA multipliers with cna(...) or CAA alphas with caa(...)");
        }
        Prompt.Mode mode = model.hasChatTemplate() ? Prompt.Mode.CHAT : Prompt.Mode.RAW;
        GenerationOptions options = GenerationOptions.greedy(maxNewTokens);
        ProgressTracker tracker = new ProgressTracker("sweep", (long) plan.size() * prompts.size(), progress);
        List<SettingResult> results = new ArrayList<>();
        for (Planned p : plan) {
            results.add(runSetting(p, mode, options, tracker));
        }
        return new SweepResult(model.info().name(), prompts.name(), prompts.size(), maxNewTokens, results);
    }

    private SettingResult runSetting(Planned p, Prompt.Mode mode, GenerationOptions options, ProgressTracker tracker) {
        Intervention interceptor = Objects.requireNonNull(p.steer().apply(p.setting().value()),
                () -> "steering function returned null for " + p.setting().label());
        int refused = 0;
        double quality = 0;
        long tokens = 0;
        List<ExampleResponse> kept = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < prompts.size(); i++) {
            Generation g;
            try {
                g = model.generate(prompts.prompt(i, mode), options, interceptor);
            } catch (NonFiniteActivationException e) {
                // the setting breaks the model (e.g. m = 1e30 overflows): failed, not "not refused"
                for (int rest = i; rest < prompts.size(); rest++) tracker.step();
                return SettingResult.failed(p.setting(), p.setting().strength(), prompts.size(),
                        "prompt #" + i + ": " + e.getMessage(), (System.nanoTime() - start) / 1e9);
            }
            RefusalVerdict verdict = classifier.classify(g.text());
            double q = RepetitionQuality.score(g.text());
            if (verdict.refused()) refused++;
            quality += q;
            tokens += g.tokenCount();
            if (i < examples) kept.add(new ExampleResponse(prompts.get(i), g.text(), verdict.refused(), verdict.pattern(), q));
            tracker.step();
        }
        double generationSeconds = (System.nanoTime() - start) / 1e9;
        MmluResult mmluResult = null;
        double mmluSeconds = 0;
        if (mmlu != null) {
            long t = System.nanoTime();
            mmluResult = mmlu.evaluate(model, interceptor, progress);
            mmluSeconds = (System.nanoTime() - t) / 1e9;
        }
        int n = prompts.size();
        return new SettingResult(p.setting(), p.setting().strength(), n, refused, (double) refused / n, quality / n,
                mmluResult, kept, tokens, generationSeconds, mmluSeconds);
    }
}
