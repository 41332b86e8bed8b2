package io.cna4j.circuit;

/**
 * How many prompts a circuit was discovered from.
 *
 * {@snippet :
 * PromptCounts n = circuit.prompts();
 * System.out.println(n.positive() + " harmful vs " + n.negative() + " harmless prompts");
 * }
 *
 * @param positive  prompts showing the behaviour
 * @param negative  contrasting prompts
 * @param universal prompts of the universal-neuron filter's diverse set (0 when the filter was off)
 */
public record PromptCounts(int positive, int negative, int universal) {

    public PromptCounts {
        if (positive < 1 || negative < 1 || universal < 0) {
            throw new IllegalArgumentException("prompt counts must be positive (universal >= 0), got positive "
                    + positive + ", negative " + negative + ", universal " + universal);
        }
    }
}
