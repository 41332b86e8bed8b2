package io.cna4j.eval.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepetitionQualityTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            the cat sat on the mat                  | 1.0
            a b a b a b                             | 0.6666666666666667
            go go go go go go go go                 | 0.2
            go go go go                             | 1.0
            The cat sat on THE CAT SAT ON           | 0.8
            Sure.                                   | 0.25
            no no no                                | 0.25
            yes I can                               | 0.75
            """)
    void workedExamples(String text, double expected) {
        assertThat(RepetitionQuality.score(text)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void emptyAndWhitespaceScoreZero() {
        assertThat(RepetitionQuality.score("")).isZero();
        assertThat(RepetitionQuality.score(" \n\t ")).isZero();
    }

    @Test
    void shortTextNeverScoresPerfect() {
        assertThat(RepetitionQuality.score("one two three")).isLessThan(RepetitionQuality.score("one two three four"));
    }

    @Test
    void loopsScoreLow() {
        String loop = "I will help you. ".repeat(30);
        assertThat(RepetitionQuality.score(loop)).isLessThan(0.05);
    }

    @Test
    void meanAveragesScores() {
        assertThat(RepetitionQuality.mean(List.of("the cat sat on the mat", ""))).isEqualTo(0.5);
    }
}
