package io.cna4j.eval.tune;

import io.cna4j.circuit.Circuit;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.kl.NextTokenKl;
import io.cna4j.eval.mmlu.MmluEvaluator;
import io.cna4j.eval.quality.RepetitionQuality;
import io.cna4j.eval.refusal.RefusalClassifier;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.progress.Progress;
import io.cna4j.progress.ProgressListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Finds the circuit size and multiplier that change a behaviour most and the model least: searches settings
 * {@code (k, m)}, where the circuit is the first {@code k} neurons of one discovery's ranking
 * ({@link Circuit#prefix}, no new discovery pass) steered with multiplier {@code m}, and measures for each the
 * behaviour rate on positive prompts (refusals, {@link RefusalClassifier}), the KL divergence of the next-token
 * distributions on negative prompts ({@link NextTokenKl}), the quality of the responses
 * ({@link RepetitionQuality}) and optionally MMLU accuracy.
 *
 * <h2>The search, and why no optimiser library</h2>
 * The two measurements differ in price by an order of magnitude: KL costs one forward pass per negative prompt
 * (teacher forcing), the behaviour rate one generation (up to {@code maxNewTokens} passes) per positive prompt.
 * So the search
 * <ol>
 *   <li>measures the KL of every grid setting on the whole negative set (cheap, exact, cached);</li>
 *   <li>visits the settings in order of the goal's lower bound at zero behaviour (for
 *       {@link TuningGoal#maxBehaviour}: by KL), generating the positive prompts one at a time, and stops a setting
 *       as soon as its lower bound cannot beat the best fully measured setting (for a 5 % target on 40 prompts:
 *       at the third refusal), and stops the whole search when the next setting's bound cannot win. This is a
 *       successive-halving schedule whose rungs are single prompts and whose pruning rule is exact: it returns the
 *       same optimum as the full grid sweep, without generating most of it;</li>
 *   <li>for a target goal, refines m by bisection between the best multiplier and its grid neighbour towards 1
 *       ({@link #refineSteps}), since m is continuous and the best setting usually lies on the edge where the
 *       behaviour comes back;</li>
 *   <li>measures the unsteered model ({@code m = 1}, when in the grid) on every positive prompt, the starting
 *       point of the front, and MMLU (when given) on the Pareto front only.</li>
 * </ol>
 * Libraries considered: Apache Commons Math's {@code CMAESOptimizer} and {@code BOBYQAOptimizer} need a continuous
 * (and for BOBYQA smooth) objective over at least two real variables and spend tens of evaluations per generation
 * or trust region; here one variable is a discrete circuit size, the rate is a step function of m, and each
 * evaluation costs hundreds of forward passes. TPE (heretic's choice, via Optuna) has no maintained JVM
 * implementation on Maven Central that we found. A black-box optimiser would also throw away what makes this
 * search cheap: KL is cheap and exact, and the rate can be bounded after a few prompts. Every setting is measured
 * at most once (a cache keyed by {@code (k, m)}; all {@code m = 1} settings are the unsteered model), and every
 * forward pass goes through a {@link CountingModel}.
 *
 * <h2>Budget</h2>
 * {@link #budget(long)} caps forward passes. A budget below what one setting needs (reference, one KL
 * measurement, one pass per positive prompt) is refused before anything runs; otherwise work stops before the
 * step that could pass the budget, and the result says so.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@link #positive(PromptSet)}, {@link #negative(PromptSet)}</td><td>required, non-empty; overlap gives a warning</td></tr>
 *   <tr><td>{@link #discoveryPrompts(Collection)}</td><td>none; evaluation prompts among them give a warning</td></tr>
 *   <tr><td>{@link #goal(TuningGoal)}</td><td>{@code maxBehaviour(0.05)}</td></tr>
 *   <tr><td>{@link #sizes(int...)}</td><td>{@link #DEFAULT_SIZE_FRACTIONS} of all MLP neurons (0.01 % .. 1 %), those the ranking holds</td></tr>
 *   <tr><td>{@link #multipliers(double...)}</td><td>{@link #DEFAULT_MULTIPLIERS}</td></tr>
 *   <tr><td>{@link #klPositions(int)}</td><td>{@value NextTokenKl#DEFAULT_POSITIONS}</td></tr>
 *   <tr><td>{@link #maxNewTokens(int)}</td><td>{@value #DEFAULT_MAX_NEW_TOKENS}</td></tr>
 *   <tr><td>{@link #refineSteps(int)}</td><td>{@value #DEFAULT_REFINE_STEPS}</td></tr>
 *   <tr><td>{@link #budget(long)}</td><td>none</td></tr>
 *   <tr><td>{@link #classifier(RefusalClassifier)}, {@link #mmlu(MmluEvaluator)}</td><td>defaults, none</td></tr>
 *   <tr><td>{@link #onProgress(ProgressListener)}</td><td>none; stage {@code "tune | best: ..."} (passes done of the budget, or of the full sweep's estimate)</td></tr>
 * </table>
 *
 * {@snippet :
 * Circuit ranking = Circuit.discover(model).positive(discoveryHarmful).negative(discoveryBenign).topFraction(0.01).run();
 * TuneResult r = Tuning.of(model, ranking)
 *         .positive(PromptDatasets.jbb(Path.of("harmful.csv")))
 *         .negative(PromptDatasets.alpaca(Path.of("alpaca.json"), 50))
 *         .goal(TuningGoal.maxBehaviour(0.05))
 *         .budget(20_000)
 *         .run();
 * TuneReport.write(r, Path.of("tune-report"));
 * r.recommendedCircuit(ranking).save(Path.of("tune-report/recommended.circuit.json"));
 * }
 */
public final class Tuning {
    /** Default circuit sizes as shares of all MLP neurons. */
    public static final List<Double> DEFAULT_SIZE_FRACTIONS = List.of(0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01);
    /** Default multipliers, in [-1, 2]. */
    public static final List<Double> DEFAULT_MULTIPLIERS = List.of(-1.0, -0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0);
    /** Default generation limit on the positive prompts. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 64;
    /** Default bisection steps on m. */
    public static final int DEFAULT_REFINE_STEPS = 3;

    private final SteerableModel model;
    private final Circuit ranking;
    private @Nullable PromptSet positive;
    private @Nullable PromptSet negative;
    private Collection<String> discoveryPrompts = List.of();
    private TuningGoal goal = TuningGoal.maxBehaviour(0.05);
    private int @Nullable [] sizes;
    private double[] multipliers = DEFAULT_MULTIPLIERS.stream().mapToDouble(Double::doubleValue).toArray();
    private int klPositions = NextTokenKl.DEFAULT_POSITIONS;
    private int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
    private int refineSteps = DEFAULT_REFINE_STEPS;
    private long budget = Long.MAX_VALUE;
    private RefusalClassifier classifier = RefusalClassifier.defaults();
    private @Nullable MmluEvaluator mmlu;
    private ProgressListener progress = ProgressListener.NONE;

    private Tuning(SteerableModel model, Circuit ranking) {
        this.model = Objects.requireNonNull(model, "model");
        this.ranking = Objects.requireNonNull(ranking, "ranking");
        if (!ranking.model().fingerprint().equals(model.info().fingerprint())) {
            throw new IllegalArgumentException("the ranking was discovered on " + ranking.model().name() + ", not on "
                    + model.info().name());
        }
    }

    /** Tunes prefixes of {@code ranking} (a circuit discovered with the largest size of interest) on {@code model}. */
    public static Tuning of(SteerableModel model, Circuit ranking) {
        return new Tuning(model, ranking);
    }

    /** Prompts showing the behaviour, on which the rate is measured. */
    public Tuning positive(PromptSet prompts) {
        this.positive = Objects.requireNonNull(prompts, "positive prompts");
        return this;
    }

    /** Prompts on which the model should not change, on which KL is measured. */
    public Tuning negative(PromptSet prompts) {
        this.negative = Objects.requireNonNull(prompts, "negative prompts");
        return this;
    }

    /** The prompts the ranking was discovered from: evaluation prompts among them are reported as a warning. */
    public Tuning discoveryPrompts(Collection<String> prompts) {
        this.discoveryPrompts = List.copyOf(prompts);
        return this;
    }

    /** What to optimise. */
    public Tuning goal(TuningGoal goal) {
        this.goal = Objects.requireNonNull(goal, "goal");
        return this;
    }

    /**
     * Circuit sizes to try (prefixes of the ranking).
     *
     * @throws IllegalArgumentException for none, or a size outside {@code [1, ranking size]}
     */
    public Tuning sizes(int... sizes) {
        if (sizes.length == 0) throw new IllegalArgumentException("no circuit sizes given");
        for (int k : sizes) {
            if (k < 1 || k > ranking.size()) {
                throw new IllegalArgumentException("circuit size " + k + " is outside [1, " + ranking.size()
                        + "] (the ranking's length; discover a longer ranking for larger sizes)");
            }
        }
        this.sizes = new TreeSet<>(java.util.Arrays.stream(sizes).boxed().toList()).stream().mapToInt(Integer::intValue).toArray();
        return this;
    }

    /**
     * Multipliers to try.
     *
     * @throws IllegalArgumentException for none or a non-finite one
     */
    public Tuning multipliers(double... multipliers) {
        if (multipliers.length == 0) throw new IllegalArgumentException("no multipliers given");
        for (double m : multipliers) if (!Double.isFinite(m)) throw new IllegalArgumentException("multiplier must be finite, got " + m);
        this.multipliers = multipliers.clone();
        return this;
    }

    /** Answer positions compared per negative prompt by the KL metric. */
    public Tuning klPositions(int n) {
        if (n < 1) throw new IllegalArgumentException("klPositions must be >= 1, got " + n);
        this.klPositions = n;
        return this;
    }

    /** Generation limit on the positive prompts. */
    public Tuning maxNewTokens(int n) {
        if (n < 1) throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + n);
        this.maxNewTokens = n;
        return this;
    }

    /** Bisection steps on m around the best grid setting (0 for none; target goals only). */
    public Tuning refineSteps(int n) {
        if (n < 0) throw new IllegalArgumentException("refineSteps must be >= 0, got " + n);
        this.refineSteps = n;
        return this;
    }

    /** At most {@code passes} forward passes in all. */
    public Tuning budget(long passes) {
        if (passes < 1) throw new IllegalArgumentException("budget must be >= 1 forward pass, got " + passes);
        this.budget = passes;
        return this;
    }

    /** The behaviour classifier (refusals by default). */
    public Tuning classifier(RefusalClassifier classifier) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        return this;
    }

    /** Also measures MMLU accuracy on the settings of the Pareto front. */
    public Tuning mmlu(MmluEvaluator evaluator) {
        this.mmlu = Objects.requireNonNull(evaluator, "evaluator");
        return this;
    }

    /** Receives progress after every measurement; its stage names the best setting so far. */
    public Tuning onProgress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The circuit sizes that {@link #run()} will try. */
    public int[] plannedSizes() {
        if (sizes != null) return sizes.clone();
        long total = ranking.model().totalNeurons();
        TreeSet<Integer> out = new TreeSet<>();
        for (double f : DEFAULT_SIZE_FRACTIONS) {
            int k = (int) Math.max(1, Math.ceil(f * total - 1e-9));
            if (k <= ranking.size()) out.add(k);
        }
        if (out.isEmpty()) out.add(ranking.size());
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The fewest forward passes one setting can cost: the KL reference (a generation and a teacher-forced pass per
     * negative prompt), one KL measurement, and one pass per positive prompt.
     */
    public long minimumPassesForOneSetting() {
        return minimumPassesForOneSetting(requireSet(positive, "positive").size(), requireSet(negative, "negative").size(), klPositions);
    }

    /** {@link #minimumPassesForOneSetting()} for prompt counts, before a model is loaded (e.g. to check a CLI budget). */
    public static long minimumPassesForOneSetting(int positives, int negatives, int klPositions) {
        return (long) negatives * (klPositions > 1 ? 2 : 1) + negatives + positives;
    }

    /**
     * Runs the search.
     *
     * @throws IllegalStateException if a prompt set is missing
     * @throws IllegalArgumentException if the budget cannot pay for one setting (before anything runs)
     */
    public TuneResult run() {
        PromptSet pos = requireSet(positive, "positive");
        PromptSet neg = requireSet(negative, "negative");
        long minimum = minimumPassesForOneSetting();
        if (budget < minimum) {
            throw new IllegalArgumentException("a budget of " + budget + " forward passes cannot evaluate one setting: that needs at least "
                    + minimum + " (" + neg.size() + " negative prompts for the KL reference and one KL measurement, "
                    + pos.size() + " positive prompts); raise the budget or use fewer prompts");
        }
        return new Search(pos, neg, warnings(pos, neg)).run();
    }

    /**
     * The input problems {@link #run()} will report without stopping: prompts in both evaluation sets, and
     * evaluation prompts that were discovery prompts (compared ignoring case and runs of whitespace).
     *
     * @throws IllegalStateException if a prompt set is missing
     */
    public List<String> warnings() {
        return warnings(requireSet(positive, "positive"), requireSet(negative, "negative"));
    }

    private List<String> warnings(PromptSet pos, PromptSet neg) {
        List<String> out = new ArrayList<>();
        overlap(pos.prompts(), neg.prompts()).ifPresent(n -> out.add(n + " prompt(s) are in both the positive (" + pos.name()
                + ") and the negative (" + neg.name() + ") set"));
        Set<String> disc = normalised(discoveryPrompts);
        for (PromptSet s : List.of(pos, neg)) {
            long n = s.prompts().stream().map(Tuning::normalise).filter(disc::contains).count();
            if (n > 0) out.add(n + " of " + s.size() + " prompts of " + s.name()
                    + " were also used for discovery: the evaluation is not held out (use disjoint prompts)");
        }
        return out;
    }

    private static java.util.Optional<Long> overlap(List<String> a, List<String> b) {
        Set<String> sa = normalised(a);
        long n = normalised(b).stream().filter(sa::contains).count();
        return n == 0 ? java.util.Optional.empty() : java.util.Optional.of(n);
    }

    private static Set<String> normalised(Collection<String> prompts) {
        Set<String> s = new HashSet<>();
        for (String p : prompts) s.add(normalise(p));
        return s;
    }

    private static String normalise(String p) {
        return p.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static PromptSet requireSet(@Nullable PromptSet s, String what) {
        if (s == null) throw new IllegalStateException("no " + what + " prompts: call " + what + "(...) with a non-empty set");
        if (s.size() == 0) throw new IllegalStateException("the " + what + " prompt set is empty");
        return s;
    }

    /** A number without trailing zeros, rounded to 4 decimals: {@code 0.25}, {@code 1}, {@code 0.3125}. */
    static String format(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return String.valueOf((long) x);
        return new java.math.BigDecimal(x).setScale(4, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    private record Key(int size, double multiplier) {
        static Key of(int size, double m) {
            return m == 1.0 ? new Key(0, 1.0) : new Key(size, m);
        }
    }

    /** One setting's measurements so far (mutable; snapshots are {@link TunePoint}s). */
    private static final class State {
        final Key key;
        final String origin;
        double kl = Double.NaN;
        int evaluated;
        int shown;
        double qualitySum;
        @Nullable Double mmlu;
        long passes;

        State(Key key, String origin) {
            this.key = key;
            this.origin = origin;
        }

        TunePoint point(int total) {
            return new TunePoint(key.size(), key.multiplier(), origin, kl, evaluated, shown, total,
                    evaluated == 0 ? Double.NaN : qualitySum / evaluated, mmlu, passes);
        }
    }

    private static final class BudgetSpent extends RuntimeException {
        BudgetSpent() {
            super(null, null, false, false);
        }
    }

    /** One run's state: the cache of settings, the counting model, the best so far. */
    private final class Search {
        final PromptSet pos;
        final PromptSet neg;
        final List<String> warnings;
        final CountingModel counted = new CountingModel(model);
        final Map<Key, State> cache = new LinkedHashMap<>();
        final Prompt.Mode mode = model.hasChatTemplate() ? Prompt.Mode.CHAT : Prompt.Mode.RAW;
        final long start = System.nanoTime();
        @Nullable NextTokenKl kl;
        @Nullable State best;
        double bestObjective = Double.POSITIVE_INFINITY;
        boolean budgetExhausted;
        long generations;
        long generationPasses;
        long referencePasses;
        long progressTotal;

        Search(PromptSet pos, PromptSet neg, List<String> warnings) {
            this.pos = pos;
            this.neg = neg;
            this.warnings = warnings;
        }

        TuneResult run() {
            int[] ks = plannedSizes();
            List<Key> grid = new ArrayList<>();
            for (int k : ks) for (double m : multipliers) {
                Key key = Key.of(k, m);
                if (!grid.contains(key)) grid.add(key);
            }
            progressTotal = budget != Long.MAX_VALUE ? budget
                    : (long) neg.size() * 2 + (long) grid.size() * (neg.size() + (long) pos.size() * maxNewTokens);
            @Nullable State closest = null;
            try {
                require(2L * neg.size());
                kl = NextTokenKl.of(counted, neg, klPositions);
                referencePasses = counted.passes();
                for (Key key : grid) measureKl(state(key, "grid"));
                List<State> order = new ArrayList<>(grid.stream().map(cache::get).filter(s -> !Double.isNaN(s.kl)).toList());
                order.sort(Comparator.comparingDouble((State s) -> goal.lowerBound(0, pos.size(), s.kl))
                        .thenComparingDouble(s -> Math.abs(1 - s.key.multiplier())).thenComparingInt(s -> s.key.size()));
                for (State s : order) {
                    if (goal.lowerBound(0, pos.size(), s.kl) >= bestObjective) break;
                    measureBehaviour(s);
                }
                if (best != null && goal instanceof TuningGoal.MaxBehaviour) refine(grid);
                if (best == null) closest = closest();
            } catch (BudgetSpent e) {
                budgetExhausted = true;
                if (best == null) closest = bestPartial();
            }
            completeBaseline(grid);
            List<TunePoint> all = cache.values().stream().map(s -> s.point(pos.size())).toList();
            List<State> frontStates = front();
            if (mmlu != null) {
                try {
                    for (State s : frontStates) measureMmlu(s);
                } catch (BudgetSpent e) {
                    budgetExhausted = true;
                }
                all = cache.values().stream().map(s -> s.point(pos.size())).toList();
            }
            List<TunePoint> frontPoints = frontStates.stream().map(s -> s.point(pos.size())).toList();
            long fullSweep = fullSweepPasses(grid);
            boolean exact = grid.stream().allMatch(k -> cache.get(k) != null && cache.get(k).point(pos.size()).complete());
            return new TuneResult(model.info().name(), goal.describe(), pos.name() + ", n=" + pos.size(),
                    neg.name() + ", n=" + neg.size(), klPositions, maxNewTokens, all, frontPoints,
                    best == null ? null : best.point(pos.size()),
                    closest == null || !closest.point(pos.size()).complete() ? null : closest.point(pos.size()),
                    counted.passes(), referencePasses, budget, budgetExhausted, fullSweep, exact, warnings);
        }

        State state(Key key, String origin) {
            return cache.computeIfAbsent(key, k -> new State(k, origin));
        }

        void require(long passes) {
            if (budget != Long.MAX_VALUE && counted.passes() + passes > budget) throw new BudgetSpent();
        }

        Intervention steer(Key key) {
            return key.size() == 0 ? ActivationInterceptor.NONE : ranking.prefix(key.size()).steer((float) key.multiplier());
        }

        void measureKl(State s) {
            if (!Double.isNaN(s.kl)) return;
            if (s.key.size() == 0) { // m = 1 is the unsteered model: steered == reference
                s.kl = 0;
                return;
            }
            require(neg.size());
            long before = counted.passes();
            s.kl = Objects.requireNonNull(kl).measure(steer(s.key));
            s.passes += counted.passes() - before;
            report();
        }

        /** Generates positive prompts until the setting is fully measured or cannot beat the best. */
        void measureBehaviour(State s) {
            Intervention steer = steer(s.key);
            GenerationOptions options = GenerationOptions.greedy(maxNewTokens);
            while (s.evaluated < pos.size()) {
                if (goal.lowerBound(s.shown, pos.size(), s.kl) >= bestObjective && s.evaluated > 0) return;
                if (goal.lowerBound(s.shown, pos.size(), s.kl) == Double.POSITIVE_INFINITY) return;
                generate(s, options, steer);
            }
            double objective = goal.objective((double) s.shown / pos.size(), s.kl);
            if (objective < bestObjective) {
                bestObjective = objective;
                best = s;
                report();
            }
        }

        /**
         * Measures the unsteered model (m = 1, when in the grid) on every positive prompt, so the front and the chart
         * show where steering starts from; costs one generation per remaining prompt and no KL pass.
         */
        void completeBaseline(List<Key> grid) {
            State base = cache.get(Key.of(0, 1.0));
            if (base == null || !grid.contains(base.key) || Double.isNaN(base.kl)) return;
            try {
                GenerationOptions options = GenerationOptions.greedy(maxNewTokens);
                while (base.evaluated < pos.size()) generate(base, options, ActivationInterceptor.NONE);
            } catch (BudgetSpent e) {
                budgetExhausted = true;
            }
        }

        /** Generates the setting's next positive prompt and scores it. */
        void generate(State s, GenerationOptions options, Intervention steer) {
            require(maxNewTokens);
            long before = counted.passes();
            Generation g = counted.generate(pos.prompt(s.evaluated, mode), options, steer);
            long spent = counted.passes() - before;
            s.passes += spent;
            generations++;
            generationPasses += spent;
            if (classifier.isRefusal(g.text())) s.shown++;
            s.qualitySum += RepetitionQuality.score(g.text());
            s.evaluated++;
            report();
        }

        /** Bisection of m between the best multiplier and its grid neighbour towards 1, at the best size. */
        void refine(List<Key> grid) {
            State b = Objects.requireNonNull(best);
            if (b.key.size() == 0) return;
            int k = b.key.size();
            double m = b.key.multiplier();
            double toward = 1.0;
            for (Key key : grid) {
                double x = key.multiplier();
                boolean between = m < 1 ? x > m && x <= 1 : x < m && x >= 1;
                if ((key.size() == k || x == 1.0) && between && Math.abs(x - m) < Math.abs(toward - m)) toward = x;
            }
            double lo = m;
            double hi = toward;
            for (int step = 0; step < refineSteps; step++) {
                double mid = (lo + hi) / 2;
                State s = state(Key.of(k, mid), "refine");
                measureKl(s);
                if (goal.lowerBound(0, pos.size(), s.kl) >= bestObjective) break; // KL already no better than the best
                measureBehaviour(s);
                if (best == s) lo = mid;
                else hi = mid;
            }
        }

        /** The setting whose partial rate is lowest (then KL), measured in full: the nearest to an unreachable target. */
        @Nullable State closest() {
            State c = bestPartial();
            if (c == null) return null;
            State full = state(c.key, c.origin);
            try {
                // every remaining prompt: the goal's early stop does not apply to the closest point
                GenerationOptions options = GenerationOptions.greedy(maxNewTokens);
                while (full.evaluated < pos.size()) generate(full, options, steer(full.key));
            } catch (BudgetSpent e) {
                budgetExhausted = true;
            }
            return full;
        }

        @Nullable State bestPartial() {
            return cache.values().stream().filter(s -> s.evaluated > 0)
                    .min(Comparator.comparingDouble((State s) -> (double) s.shown / s.evaluated).thenComparingDouble(s -> s.kl))
                    .orElse(null);
        }

        void measureMmlu(State s) {
            if (s.mmlu != null) return;
            require(Objects.requireNonNull(mmlu).dataset().questionCount());
            long before = counted.passes();
            s.mmlu = mmlu.evaluate(counted, steer(s.key), ProgressListener.NONE).accuracy();
            s.passes += counted.passes() - before;
            report();
        }

        /** Pareto front of the fully measured settings: rate and KL lower, quality higher; by rate, then KL. */
        List<State> front() {
            List<State> complete = cache.values().stream().filter(s -> s.evaluated == pos.size() && !Double.isNaN(s.kl)).toList();
            List<State> out = new ArrayList<>();
            for (State p : complete) {
                boolean dominated = false;
                for (State q : complete) {
                    if (q == p) continue;
                    double qp = q.qualitySum / q.evaluated, pp = p.qualitySum / p.evaluated;
                    boolean noWorse = q.shown <= p.shown && q.kl <= p.kl && qp >= pp;
                    boolean better = q.shown < p.shown || q.kl < p.kl || qp > pp;
                    if (noWorse && better) {
                        dominated = true;
                        break;
                    }
                }
                if (!dominated) out.add(p);
            }
            out.sort(Comparator.comparingInt((State s) -> s.shown).thenComparingDouble(s -> s.kl));
            return out;
        }

        long fullSweepPasses(List<Key> grid) {
            boolean exact = grid.stream().allMatch(k -> cache.get(k) != null && cache.get(k).evaluated == pos.size()
                    && !Double.isNaN(cache.get(k).kl));
            if (exact) return referencePasses + grid.stream().mapToLong(k -> cache.get(k).passes).sum();
            double perGeneration = generations == 0 ? maxNewTokens : (double) generationPasses / generations;
            long perSetting = neg.size() + Math.round(pos.size() * perGeneration);
            long unsteered = Math.round(pos.size() * perGeneration); // m = 1: no KL pass needed
            boolean hasUnsteered = grid.stream().anyMatch(k -> k.size() == 0);
            return (long) neg.size() * (klPositions > 1 ? 2 : 1)
                    + (grid.size() - (hasUnsteered ? 1 : 0)) * perSetting + (hasUnsteered ? unsteered : 0);
        }

        void report() {
            String stage = best == null ? "tune | best: none yet"
                    : String.format(Locale.ROOT, "tune | best: %s, rate %.3f, KL %.5f", best.point(pos.size()).label(),
                            (double) best.shown / pos.size(), best.kl);
            progress.onProgress(new Progress(stage, counted.passes(), Math.max(progressTotal, counted.passes()),
                    System.nanoTime() - start));
        }
    }
}
