package io.cna4j.eval.mmlu;

/**
 * Right answers out of questions, for one subject or overall.
 *
 * {@snippet :
 * SubjectScore s = result.bySubject().get("anatomy");
 * System.out.printf("%d/%d = %.1f %%%n", s.correct(), s.total(), 100 * s.accuracy());
 * }
 *
 * @param correct questions answered right
 * @param total   questions asked
 */
public record SubjectScore(int correct, int total) {

    public SubjectScore {
        if (total < 0 || correct < 0 || correct > total) {
            throw new IllegalArgumentException("invalid score " + correct + "/" + total);
        }
    }

    /** {@code correct / total}; 0 for no questions. */
    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }
}
