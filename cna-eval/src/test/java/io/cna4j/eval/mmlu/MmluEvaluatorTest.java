package io.cna4j.eval.mmlu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.eval.data.DataFileException;
import io.cna4j.eval.testing.FakeModel;
import io.cna4j.eval.testing.SharedData;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmluEvaluatorTest {
    private static final String HEADER = "question,choice0,choice1,choice2,choice3,answer\n";

    @TempDir Path root;

    @BeforeEach
    void writeTinyMmlu() throws IOException {
        Files.createDirectories(root.resolve("test"));
        Files.createDirectories(root.resolve("dev"));
        // alpha: the fake model knows every answer; beta: it always says A, right once in four.
        write("test/alpha_test.csv", HEADER + "alpha q1,a,b,c,d,2\nalpha q2,a,b,c,d,1\n\"alpha q3, multi\nline\",a,b,c,d,3\n");
        write("test/beta_test.csv", HEADER + "beta q1,a,b,c,d,0\nbeta q2,a,b,c,d,1\nbeta q3,a,b,c,d,2\nbeta q4,a,b,c,d,3\n");
        StringBuilder dev = new StringBuilder(HEADER);
        for (int i = 1; i <= 6; i++) dev.append("alpha dev ").append(i).append(",w,x,y,z,").append(i % 4).append('\n');
        write("dev/alpha_dev.csv", dev.toString());
    }

    /** Answers alpha questions right (from the hidden answer in the question text) and beta questions with A. */
    private static int answer(String prompt) {
        String last = prompt.substring(prompt.lastIndexOf("alpha q") >= 0 ? prompt.lastIndexOf("alpha q") : 0);
        if (last.startsWith("alpha q1")) return 2;
        if (last.startsWith("alpha q2")) return 1;
        if (last.startsWith("alpha q3")) return 3;
        return 0;
    }

    @Test
    void zeroShotPromptIsTheStandardText() {
        MmluQuestion q = new MmluQuestion("high_school_physics", "What is 2+2?", List.of("3", "4", "5", "22"), 1,
                Path.of("x.csv"), 2);
        assertThat(MmluPrompts.zeroShot(q)).isEqualTo("""
                The following are multiple choice questions (with answers) about high school physics.

                What is 2+2?
                A. 3
                B. 4
                C. 5
                D. 22
                Answer:""");
    }

    @Test
    void fiveShotPromptHasFiveSolvedDevExamples() {
        MmluDataset data = MmluDataset.load(root, List.of("alpha"), 10);
        MmluEvaluator five = MmluEvaluator.fewShot(data, 5);
        String prompt = five.promptText(data.test("alpha").get(0));
        assertThat(prompt).startsWith("The following are multiple choice questions (with answers) about alpha.\n\n"
                + "alpha dev 1\nA. w\nB. x\nC. y\nD. z\nAnswer: B\n\nalpha dev 2\n");
        assertThat(prompt).contains("alpha dev 5\nA. w\nB. x\nC. y\nD. z\nAnswer: B\n\nalpha q1\nA. a\n");
        assertThat(prompt).doesNotContain("alpha dev 6").endsWith("D. d\nAnswer:");
        assertThat(prompt.split("Answer:", -1)).hasSize(7);
        assertThatThrownBy(() -> MmluEvaluator.fewShot(data, 7).promptText(data.test("alpha").get(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs 7 dev examples of alpha");
    }

    @Test
    void accuracyPerSubjectAndOverallIsExact() {
        MmluDataset data = MmluDataset.load(root);
        assertThat(data.subjects()).containsExactly("alpha", "beta");
        FakeModel model = new FakeModel(MmluEvaluatorTest::answer);
        List<Progress> progress = new ArrayList<>();
        MmluResult r = MmluEvaluator.zeroShot(data).evaluate(model, ActivationInterceptor.NONE, progress::add);
        assertThat(r.bySubject().get("alpha")).isEqualTo(new SubjectScore(3, 3));
        assertThat(r.bySubject().get("beta")).isEqualTo(new SubjectScore(1, 4));
        assertThat(r.overall()).isEqualTo(new SubjectScore(4, 7));
        assertThat(r.accuracy()).isEqualTo(4.0 / 7);
        assertThat(progress).hasSize(7).last().extracting(Progress::done).isEqualTo(7L);
        assertThat(model.forwardedTexts().get(2)).contains("alpha q3, multi\nline\nA. a");
    }

    @Test
    void fiveShotUsesTheSameLetterScoring() {
        MmluDataset data = MmluDataset.load(root, List.of("alpha"), 2);
        MmluResult r = MmluEvaluator.fewShot(data, 5).evaluate(new FakeModel(MmluEvaluatorTest::answer));
        assertThat(r.shots()).isEqualTo(5);
        assertThat(r.overall()).isEqualTo(new SubjectScore(2, 2));
    }

    @Test
    void interceptorIsAppliedToEveryForwardPass() {
        AtomicInteger calls = new AtomicInteger();
        ActivationInterceptor counter = new ActivationInterceptor() {
            @Override public void onMlpActivation(ActivationRows rows) { calls.incrementAndGet(); }
        };
        MmluEvaluator.zeroShot(MmluDataset.load(root, 1, 2)).evaluate(new FakeModel(), counter, p -> {});
        assertThat(calls.get()).isEqualTo(2 * FakeModel.LAYERS);
    }

    @Test
    void limitsSelectSubjectsAndRows() {
        MmluDataset data = MmluDataset.load(root, 1, 2);
        assertThat(data.subjects()).containsExactly("alpha");
        assertThat(data.test("alpha")).hasSize(2);
        assertThat(data.dev("alpha")).hasSize(6);
        assertThat(data.test("alpha").get(1).line()).isEqualTo(3);
    }

    @Test
    void answerOutsideZeroToThreeNamesFileAndLine() throws IOException {
        Path bad = write("test/gamma_test.csv", HEADER + "q1,a,b,c,d,1\nq2,a,b,c,d,4\n");
        assertThatThrownBy(() -> MmluDataset.load(root, List.of("gamma"), 10))
                .isInstanceOf(DataFileException.class)
                .hasMessage(bad + ", line 3: answer must be 0-3, got 4");
        write("test/gamma_test.csv", HEADER + "q1,a,b,c,d,B\n");
        assertThatThrownBy(() -> MmluDataset.load(root, List.of("gamma"), 10))
                .hasMessage(bad + ", line 2: answer is not an integer: 'B'");
        assertThatThrownBy(() -> MmluDataset.load(root, List.of("missing"), 10))
                .isInstanceOf(DataFileException.class).hasMessageContaining("missing_test.csv: file not found");
    }

    @Test
    void answerLettersTakeTheBestOfTheirTokens() {
        AnswerLetters letters = AnswerLetters.of(new FakeModel());
        assertThat(letters.tokens(0)).containsExactly(2);
        float[] logits = new float[FakeModel.VOCAB];
        logits[4] = 1f;
        assertThat(letters.choose(logits)).isEqualTo(2);
        logits[5] = 1f;
        assertThat(letters.choose(logits)).as("ties go to the earlier letter").isEqualTo(2);
        logits[FakeModel.SPACE] = 100f;
        assertThat(letters.choose(logits)).as("the space token is no letter").isEqualTo(2);
    }

    @Test
    void sharedMmluFilesLoad() {
        Path mmlu = SharedData.file("mmlu");
        assertThat(MmluDataset.subjects(mmlu)).hasSize(57).startsWith("abstract_algebra", "anatomy");
        MmluDataset anatomy = MmluDataset.load(mmlu, List.of("anatomy"), Integer.MAX_VALUE);
        assertThat(anatomy.test("anatomy")).hasSize(135);
        assertThat(anatomy.dev("anatomy")).hasSize(5);
        assertThat(anatomy.dev("anatomy").get(0).question()).isEqualTo("What is the embryological origin of the hyoid bone?");
        assertThat(anatomy.dev("anatomy").get(0).answer()).isEqualTo(3);
        MmluDataset quick = MmluDataset.load(mmlu, 3, 10);
        assertThat(quick.subjects()).containsExactly("abstract_algebra", "anatomy", "astronomy");
        assertThat(quick.questionCount()).isEqualTo(30);
    }

    private Path write(String relative, String content) throws IOException {
        return Files.writeString(root.resolve(relative), content);
    }
}
