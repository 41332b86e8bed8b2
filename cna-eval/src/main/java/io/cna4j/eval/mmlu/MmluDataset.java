package io.cna4j.eval.mmlu;

import io.cna4j.eval.data.CsvRecord;
import io.cna4j.eval.data.CsvRecords;
import io.cna4j.eval.data.DataFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * MMLU questions read from the usual folder layout: {@code <root>/test/<subject>_test.csv} for the questions and
 * {@code <root>/dev/<subject>_dev.csv} for the few-shot examples, each with the header
 * {@code question,choice0,choice1,choice2,choice3,answer} and the answer an integer 0-3.
 *
 * <p>Subjects are in alphabetical order. For quick runs, {@link #load(Path, int, int)} keeps the first
 * {@code maxSubjects} subjects and the first {@code maxQuestions} questions of each.
 *
 * {@snippet :
 * MmluDataset all = MmluDataset.load(Path.of("../shared/data/mmlu"));
 * MmluDataset quick = MmluDataset.load(Path.of("../shared/data/mmlu"), 5, 20);   // 5 subjects x 20 questions
 * MmluDataset two = MmluDataset.load(Path.of("../shared/data/mmlu"), List.of("anatomy", "virology"), 50);
 * }
 */
public final class MmluDataset {
    private static final List<String> COLUMNS = List.of("question", "choice0", "choice1", "choice2", "choice3", "answer");

    private final Map<String, List<MmluQuestion>> test;
    private final Map<String, List<MmluQuestion>> dev;

    private MmluDataset(Map<String, List<MmluQuestion>> test, Map<String, List<MmluQuestion>> dev) {
        this.test = test;
        this.dev = dev;
    }

    /** All subjects and questions under {@code root}. */
    public static MmluDataset load(Path root) {
        return load(root, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** The first {@code maxSubjects} subjects (alphabetically) with at most {@code maxQuestions} questions each. */
    public static MmluDataset load(Path root, int maxSubjects, int maxQuestions) {
        if (maxSubjects < 1) throw new IllegalArgumentException("maxSubjects must be >= 1, got " + maxSubjects);
        List<String> all = subjects(root);
        return load(root, all.subList(0, Math.min(maxSubjects, all.size())), maxQuestions);
    }

    /**
     * The named subjects with at most {@code maxQuestions} questions each.
     *
     * @throws DataFileException if a subject's test file is missing or invalid (an answer outside 0-3 names the
     *     file and line)
     */
    public static MmluDataset load(Path root, List<String> subjects, int maxQuestions) {
        if (maxQuestions < 1) throw new IllegalArgumentException("maxQuestions must be >= 1, got " + maxQuestions);
        if (subjects.isEmpty()) throw new IllegalArgumentException("no MMLU subjects selected");
        Map<String, List<MmluQuestion>> test = new LinkedHashMap<>();
        Map<String, List<MmluQuestion>> dev = new LinkedHashMap<>();
        for (String subject : subjects.stream().sorted().toList()) {
            List<MmluQuestion> questions = read(subject, root.resolve("test").resolve(subject + "_test.csv"));
            test.put(subject, List.copyOf(questions.subList(0, Math.min(maxQuestions, questions.size()))));
            Path devFile = root.resolve("dev").resolve(subject + "_dev.csv");
            if (Files.isRegularFile(devFile)) dev.put(subject, read(subject, devFile));
        }
        return new MmluDataset(test, dev);
    }

    /** The subjects that have a test file under {@code root}, alphabetically. */
    public static List<String> subjects(Path root) {
        Path dir = root.resolve("test");
        if (!Files.isDirectory(dir)) throw new DataFileException(dir, "MMLU test folder not found");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> subjects = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("_test.csv"))
                    .map(n -> n.substring(0, n.length() - "_test.csv".length()))
                    .sorted()
                    .toList();
            if (subjects.isEmpty()) throw new DataFileException(dir, "no *_test.csv files");
            return subjects;
        } catch (IOException e) {
            throw new DataFileException(dir, 0, "cannot list: " + e.getMessage(), e);
        }
    }

    /** Reads one MMLU CSV file. */
    static List<MmluQuestion> read(String subject, Path file) {
        List<MmluQuestion> questions = new ArrayList<>();
        for (CsvRecord r : CsvRecords.read(file, COLUMNS)) {
            int answer = r.intValue("answer");
            if (answer < 0 || answer > 3) throw r.error("answer must be 0-3, got " + answer);
            List<String> choices = List.of(r.required("choice0"), r.required("choice1"), r.required("choice2"),
                    r.required("choice3"));
            questions.add(new MmluQuestion(subject, r.required("question"), choices, answer, file, r.line()));
        }
        return List.copyOf(questions);
    }

    /** The selected subjects, alphabetically. */
    public List<String> subjects() {
        return List.copyOf(test.keySet());
    }

    /** The test questions of {@code subject}. */
    public List<MmluQuestion> test(String subject) {
        List<MmluQuestion> q = test.get(subject);
        if (q == null) throw new IllegalArgumentException("subject not loaded: " + subject);
        return q;
    }

    /** The dev (few-shot) examples of {@code subject}; empty when the dev file is absent. */
    public List<MmluQuestion> dev(String subject) {
        return dev.getOrDefault(subject, List.of());
    }

    /** Number of test questions over all selected subjects. */
    public int questionCount() {
        return test.values().stream().mapToInt(List::size).sum();
    }
}
