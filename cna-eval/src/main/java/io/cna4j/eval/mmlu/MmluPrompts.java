package io.cna4j.eval.mmlu;

import java.util.List;

/**
 * The standard MMLU prompt of Hendrycks et al.: a header naming the subject, optional solved examples, then the
 * question with its lettered choices and {@code "Answer:"}, so that the next token is the answer letter.
 *
 * <pre>
 * The following are multiple choice questions (with answers) about high school physics.
 *
 * {example question}
 * A. ...
 * B. ...
 * C. ...
 * D. ...
 * Answer: B
 *
 * {question}
 * A. ...
 * B. ...
 * C. ...
 * D. ...
 * Answer:</pre>
 *
 * {@snippet :
 * String zero = MmluPrompts.zeroShot(question);
 * String five = MmluPrompts.fewShot(question, dataset.dev(question.subject()));
 * }
 */
public final class MmluPrompts {
    private MmluPrompts() {}

    /** The header line: {@code "The following are ... about {subject with spaces}.\n\n"}. */
    public static String header(String subject) {
        return "The following are multiple choice questions (with answers) about " + subject.replace('_', ' ')
                + ".\n\n";
    }

    /** One question block, ending in {@code "Answer:"} or, with the answer, {@code "Answer: X\n\n"}. */
    public static String block(MmluQuestion q, boolean withAnswer) {
        StringBuilder sb = new StringBuilder(q.question()).append('\n');
        for (int i = 0; i < 4; i++) {
            sb.append(MmluQuestion.LETTERS.charAt(i)).append(". ").append(q.choices().get(i)).append('\n');
        }
        sb.append("Answer:");
        if (withAnswer) sb.append(' ').append(q.answerLetter()).append("\n\n");
        return sb.toString();
    }

    /** Header and question. */
    public static String zeroShot(MmluQuestion q) {
        return header(q.subject()) + block(q, false);
    }

    /** Header, each of {@code examples} with its answer, then the question. */
    public static String fewShot(MmluQuestion q, List<MmluQuestion> examples) {
        StringBuilder sb = new StringBuilder(header(q.subject()));
        for (MmluQuestion e : examples) sb.append(block(e, true));
        return sb.append(block(q, false)).toString();
    }
}
