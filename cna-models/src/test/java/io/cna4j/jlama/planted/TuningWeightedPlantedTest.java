package io.cna4j.jlama.planted;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.circuit.Circuit;
import io.cna4j.eval.data.PromptSet;
import io.cna4j.eval.mmlu.MmluDataset;
import io.cna4j.eval.mmlu.MmluEvaluator;
import io.cna4j.eval.tune.TunePoint;
import io.cna4j.eval.tune.TuneResult;
import io.cna4j.eval.tune.Tuning;
import io.cna4j.eval.tune.TuningGoal;
import io.cna4j.jlama.JlamaModels;
import io.cna4j.jlama.JlamaSteerableModel;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weighted goal (rate + lambda * KL) and MMLU on the front, on the planted Llama model with small prompt sets. */
class TuningWeightedPlantedTest {
    @TempDir
    Path dir;

    @Test
    void weightedGoalReturnsTheLowestObjectiveOfTheFullyMeasuredSettingsAndMmluOnTheFront() throws IOException {
        Path shared = PlantedModelTest.shared();
        PromptSet harmful = io.cna4j.eval.data.PromptDatasets.jbb(shared.resolve("data/jailbreakbench/harmful.csv")).first(6);
        PromptSet benign = io.cna4j.eval.data.PromptDatasets.alpaca(shared.resolve("data/alpaca/instructions.json"), 3);
        PlantedModelSpec spec = PlantedModel.builder().writeTo(dir.resolve("llama"));
        try (JlamaSteerableModel model = JlamaModels.load(spec.folder())) {
            Circuit ranking = Circuit.discover(model).positive(BuiltInPrompts.harmful()).negative(BuiltInPrompts.benign()).topK(7).run();
            TuningGoal goal = TuningGoal.weighted(1.0);
            TuneResult r = Tuning.of(model, ranking).positive(harmful).negative(benign).goal(goal).sizes(4, 7)
                    .multipliers(0, 0.5, 1).klPositions(2).maxNewTokens(16)
                    .mmlu(MmluEvaluator.zeroShot(MmluDataset.load(shared.resolve("data/mmlu"), 1, 3))).run();
            TunePoint best = r.best();
            assertThat(best).isNotNull();
            double bestObjective = goal.objective(best.behaviourRate(), best.kl());
            for (TunePoint p : r.points()) {
                if (p.complete()) assertThat(goal.objective(p.behaviourRate(), p.kl())).as(p.label()).isGreaterThanOrEqualTo(bestObjective);
                else assertThat(goal.lowerBound(p.shown(), p.total(), p.kl())).as(p.label()).isGreaterThanOrEqualTo(bestObjective);
            }
            assertThat(best.behaviourRate()).isZero();
            assertThat(r.front()).isNotEmpty().allSatisfy(p -> assertThat(p.mmluAccuracy()).isNotNull().isBetween(0.0, 1.0));
            System.out.println("tune-planted weighted: " + r.points().size() + " settings, " + r.passes() + " passes, best " + best.label());
        }
    }
}
