package io.cna4j.eval.kl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cna4j.eval.data.PromptSet;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.ActivationRows;
import io.cna4j.model.ForwardResult;
import io.cna4j.model.Generation;
import io.cna4j.model.GenerationOptions;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.Prompt;
import io.cna4j.model.SteerableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class NextTokenKlTest {

    /**
     * Two-token vocabulary. Unsteered logits are (0, 0) everywhere; a "steering" interceptor (any other than
     * NONE) changes the logits at answer position r to {@code shift.apply(r)}. Prompts are 3 tokens, answers 5.
     */
    static final class TwoTokenModel implements SteerableModel {
        final Function<Integer, float[]> shift;
        final List<int[]> calls = new ArrayList<>();

        TwoTokenModel(Function<Integer, float[]> shift) {
            this.shift = shift;
        }

        @Override public ModelInfo info() { return new ModelInfo("two", "Two", 1, 1, 1, 2, 64, "2"); }
        @Override public boolean hasChatTemplate() { return true; }
        @Override public String format(Prompt p) { return p.text(); }
        @Override public int[] tokenize(Prompt p) { return new int[] {1, 0, 1}; }
        @Override public int[] encode(String t) { return new int[0]; }
        @Override public String decode(int[] t) { return ""; }
        @Override public ForwardResult forward(Prompt p, io.cna4j.model.Intervention i) { throw new AssertionError("not used"); }

        @Override
        public Generation generate(Prompt p, GenerationOptions o, io.cna4j.model.Intervention i) {
            return new Generation("", new int[Math.min(o.maxNewTokens(), 5)], Generation.FinishReason.MAX_TOKENS, 3, 0, 0);
        }

        @Override
        public float[][] logitsAt(int[] tokens, int from, io.cna4j.model.Intervention interceptor) {
            calls.add(new int[] {tokens.length, from});
            float[][] out = new float[tokens.length - from][];
            for (int r = 0; r < out.length; r++) out[r] = interceptor == ActivationInterceptor.NONE ? new float[] {0, 0} : shift.apply(r);
            return out;
        }

        @Override public void close() {}
    }

    static final ActivationInterceptor STEER = new ActivationInterceptor() {
        @Override public void onMlpActivation(ActivationRows rows) {}
    };

    @Test
    void averagesOverPositionsThenPrompts() {
        // position 0 moves to (1, 0), the others stay: per prompt (KL1 + 0 + 0 + 0) / 4
        TwoTokenModel m = new TwoTokenModel(r -> r == 0 ? new float[] {1, 0} : new float[] {0, 0});
        NextTokenKl kl = NextTokenKl.of(m, PromptSet.of("n", List.of("a", "b")), 4);
        double kl1 = Math.log((Math.E + 1) / 2) - 0.5;
        assertThat(kl.measure(STEER)).isCloseTo(kl1 / 4, within(1e-15));
        assertThat(kl.measure(ActivationInterceptor.NONE)).isEqualTo(0.0);
        assertThat(kl.comparedPositions()).isEqualTo(8);
        // reference: prompt (3) + 3 answer tokens, logits from the prompt's last token
        assertThat(m.calls.get(0)).containsExactly(6, 2);
    }

    @Test
    void onePositionNeedsNoGeneration() {
        TwoTokenModel m = new TwoTokenModel(r -> new float[] {1, 0});
        NextTokenKl kl = NextTokenKl.of(m, PromptSet.of("n", List.of("a")), 1);
        assertThat(m.calls.get(0)).containsExactly(3, 2);
        assertThat(kl.measure(STEER)).isCloseTo(Math.log((Math.E + 1) / 2) - 0.5, within(1e-15));
    }

    @Test
    void nonFiniteSteeredLogitsAreNamed() {
        TwoTokenModel m = new TwoTokenModel(r -> new float[] {Float.NaN, 0});
        NextTokenKl kl = NextTokenKl.of(m, PromptSet.of("n", List.of("a")), 2);
        assertThatThrownBy(() -> kl.measure(STEER)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("non-finite").hasMessageContaining("prompt 0");
        assertThatThrownBy(() -> NextTokenKl.of(m, PromptSet.of("n", List.of("a")), 0)).hasMessageContaining("positions");
    }
}
