package io.cna4j.eval.mmlu;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One MMLU question: four choices and the index of the right one, with where it was read from.
 *
 * {@snippet :
 * MmluQuestion q = dataset.test("anatomy").get(0);
 * char right = MmluQuestion.LETTERS.charAt(q.answer());   // 'A'..'D'
 * }
 *
 * @param subject  the subject as in the file name, e.g. {@code high_school_physics}
 * @param question the question text
 * @param choices  exactly four choices, A to D
 * @param answer   the index of the right choice, 0 to 3
 * @param file     the CSV file it came from
 * @param line     the 1-based line of its record
 */
public record MmluQuestion(String subject, String question, List<String> choices, int answer, Path file, int line) {

    /** The answer letters, in choice order. */
    public static final String LETTERS = "ABCD";

    public MmluQuestion {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(question, "question");
        choices = List.copyOf(choices);
        if (choices.size() != 4) throw new IllegalArgumentException("MMLU questions have 4 choices, got " + choices.size());
        if (answer < 0 || answer > 3) throw new IllegalArgumentException("answer must be 0-3, got " + answer);
    }

    /** The letter of the right answer. */
    public char answerLetter() {
        return LETTERS.charAt(answer);
    }
}
