package io.cna4j.eval.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cna4j.model.Generation;
import org.junit.jupiter.api.Test;

/** Goals, pass counting and input checks that need no model; the search itself is tested on a planted model in cna-models. */
class TuningInputTest {

    @Test
    void maxBehaviourAllowsFloorOfTargetTimesPromptsAndBoundsExactly() {
        TuningGoal.MaxBehaviour g = new TuningGoal.MaxBehaviour(0.05);
        assertThat(g.allowance(40)).isEqualTo(2);
        assertThat(g.allowance(20)).isEqualTo(1);
        assertThat(g.allowance(19)).isZero();
        assertThat(g.lowerBound(2, 40, 0.3)).isEqualTo(0.3);
        assertThat(g.lowerBound(3, 40, 0.3)).isInfinite();
        assertThat(g.objective(0.05, 0.3)).isEqualTo(0.3);
        assertThat(g.objective(0.075, 0.3)).isInfinite();
        assertThatThrownBy(() -> TuningGoal.maxBehaviour(1.5)).hasMessageContaining("[0, 1]");
    }

    @Test
    void weightedGoalBoundsNeverExceedTheFinalObjective() {
        TuningGoal g = TuningGoal.weighted(2);
        // 3 of 10 so far; whatever the remaining 30 do, the final rate is >= 3/40
        assertThat(g.lowerBound(3, 40, 0.1)).isEqualTo(3.0 / 40 + 0.2);
        for (int more = 0; more <= 37; more++) {
            assertThat(g.objective((3.0 + more) / 40, 0.1)).isGreaterThanOrEqualTo(g.lowerBound(3, 40, 0.1));
        }
        assertThatThrownBy(() -> TuningGoal.weighted(-1)).hasMessageContaining("lambda");
    }

    @Test
    void generationPassesArePrefillPlusDecodingSteps() {
        assertThat(CountingModel.passesOf(gen(4, Generation.FinishReason.EOS))).isEqualTo(5);
        assertThat(CountingModel.passesOf(gen(0, Generation.FinishReason.EOS))).isEqualTo(1);
        assertThat(CountingModel.passesOf(gen(16, Generation.FinishReason.MAX_TOKENS))).isEqualTo(16);
        assertThat(CountingModel.passesOf(gen(3, Generation.FinishReason.CONTEXT_FULL))).isEqualTo(4);
    }

    @Test
    void pointsSayWhetherTheirRateIsExact() {
        TunePoint done = new TunePoint(7, 0.25, "grid", 0.01, 40, 1, 40, 1.0, null, 420);
        TunePoint early = new TunePoint(7, 0.75, "grid", 0.001, 3, 3, 40, 1.0, null, 30);
        assertThat(done.complete()).isTrue();
        assertThat(done.behaviourRate()).isEqualTo(0.025);
        assertThat(early.stoppedEarly()).isTrue();
        assertThat(early.behaviourRate()).isNaN();
        assertThat(early.behaviourLowerBound()).isEqualTo(0.075);
        assertThat(done.label()).isEqualTo("k=7 m=0.25");
        assertThat(new TunePoint(0, 1, "grid", 0, 0, 0, 40, Double.NaN, null, 0).label()).isEqualTo("unsteered (m=1)");
        assertThat(Tuning.format(0.3125)).isEqualTo("0.3125");
        assertThat(Tuning.format(1.0 / 3)).isEqualTo("0.3333");
    }

    private static Generation gen(int tokens, Generation.FinishReason reason) {
        return new Generation("", new int[tokens], reason, 3, 0, 0);
    }
}
