package io.cna4j.eval.mmlu;

import java.util.Map;

/**
 * MMLU accuracy overall and per subject.
 *
 * {@snippet :
 * MmluResult r = MmluEvaluator.zeroShot(dataset).evaluate(model);
 * System.out.println(r.accuracy() + " over " + r.overall().total() + " questions");
 * }
 *
 * @param shots     number of solved examples in each prompt (0 for zero-shot)
 * @param overall   right answers over all questions (micro average)
 * @param bySubject per subject, alphabetically
 */
public record MmluResult(int shots, SubjectScore overall, Map<String, SubjectScore> bySubject) {

    public MmluResult {
        bySubject = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(bySubject));
    }

    /** Overall accuracy: right answers over all questions. */
    public double accuracy() {
        return overall.accuracy();
    }
}
