package io.cna4j.eval.mmlu;

import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.Intervention;
import io.cna4j.model.ForwardResult;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import io.cna4j.progress.ProgressListener;
import io.cna4j.progress.ProgressTracker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a model on MMLU: for each question one forward pass over the {@link MmluPrompts} prompt, then the
 * answer letter with the highest next-token score ({@link AnswerLetters}) is the model's answer. No text is
 * generated. An {@link ActivationInterceptor} makes it measure a steered model.
 *
 * <p>Prompts are fed {@link Prompt.Mode#RAW raw} by default (the standard MMLU setting, where the next token after
 * {@code "Answer:"} is the letter); {@link #chat()} wraps them in the model's chat template instead.
 * Few-shot prompts take the first {@code shots} examples of the subject's dev file and fail if it has fewer.
 *
 * {@snippet :
 * MmluDataset data = MmluDataset.load(Path.of("../shared/data/mmlu"), 10, 20);
 * MmluResult plain = MmluEvaluator.zeroShot(data).evaluate(model);
 * MmluResult steered = MmluEvaluator.fewShot(data, 5).evaluate(model, circuit.steer(0f), bar::step);
 * }
 */
public final class MmluEvaluator {
    private final MmluDataset dataset;
    private final int shots;
    private final Prompt.Mode mode;

    private MmluEvaluator(MmluDataset dataset, int shots, Prompt.Mode mode) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        if (shots < 0) throw new IllegalArgumentException("shots must be >= 0, got " + shots);
        this.shots = shots;
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** Zero-shot evaluation of {@code dataset}. */
    public static MmluEvaluator zeroShot(MmluDataset dataset) {
        return new MmluEvaluator(dataset, 0, Prompt.Mode.RAW);
    }

    /** Evaluation with {@code shots} solved dev examples before each question (5 is the standard). */
    public static MmluEvaluator fewShot(MmluDataset dataset, int shots) {
        return new MmluEvaluator(dataset, shots, Prompt.Mode.RAW);
    }

    /** The same evaluation with prompts wrapped in the model's chat template. */
    public MmluEvaluator chat() {
        return new MmluEvaluator(dataset, shots, Prompt.Mode.CHAT);
    }

    /** Number of solved examples per prompt. */
    public int shots() {
        return shots;
    }

    /** The questions evaluated. */
    public MmluDataset dataset() {
        return dataset;
    }

    /** The exact prompt text for {@code q}. */
    public String promptText(MmluQuestion q) {
        if (shots == 0) return MmluPrompts.zeroShot(q);
        List<MmluQuestion> dev = dataset.dev(q.subject());
        if (dev.size() < shots) {
            throw new IllegalStateException(shots + "-shot MMLU needs " + shots + " dev examples of " + q.subject()
                    + ", found " + dev.size());
        }
        return MmluPrompts.fewShot(q, dev.subList(0, shots));
    }

    /** Accuracy of the unsteered model. */
    public MmluResult evaluate(SteerableModel model) {
        return evaluate(model, ActivationInterceptor.NONE, ProgressListener.NONE);
    }

    /** Accuracy under {@code interceptor}, reporting each question to {@code progress} (stage {@code "mmlu"}). */
    public MmluResult evaluate(SteerableModel model, Intervention interceptor, ProgressListener progress) {
        AnswerLetters letters = AnswerLetters.of(model);
        ProgressTracker tracker = new ProgressTracker("mmlu", dataset.questionCount(), progress);
        Map<String, SubjectScore> bySubject = new LinkedHashMap<>();
        int correct = 0;
        int total = 0;
        for (String subject : dataset.subjects()) {
            int right = 0;
            List<MmluQuestion> questions = dataset.test(subject);
            for (MmluQuestion q : questions) {
                ForwardResult r = model.forward(new Prompt(promptText(q), mode), interceptor);
                if (letters.choose(r.lastLogits()) == q.answer()) right++;
                tracker.step();
            }
            bySubject.put(subject, new SubjectScore(right, questions.size()));
            correct += right;
            total += questions.size();
        }
        return new MmluResult(shots, new SubjectScore(correct, total), bySubject);
    }
}
