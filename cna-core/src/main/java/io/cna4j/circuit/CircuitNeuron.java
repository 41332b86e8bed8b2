package io.cna4j.circuit;

import io.cna4j.model.NeuronId;
import java.util.Objects;

/**
 * One neuron of a circuit with the numbers that put it there.
 *
 * {@snippet :
 * CircuitNeuron top = circuit.neurons().get(0);
 * System.out.println(top.rank() + " " + top.id() + " mu=" + top.mu());   // 1 blocks.27.mlp.hook_post[1023] mu=2.5
 * }
 *
 * @param id           the neuron's address
 * @param rank         1 for the largest {@code |mu|}, then 2, 3, ...
 * @param mu           {@code meanPositive - meanNegative}
 * @param meanPositive mean last-token activation over the positive prompts
 * @param meanNegative mean last-token activation over the negative prompts
 */
public record CircuitNeuron(NeuronId id, int rank, double mu, double meanPositive, double meanNegative) {

    public CircuitNeuron {
        Objects.requireNonNull(id, "id");
        if (rank < 1) throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        if (!Double.isFinite(mu) || !Double.isFinite(meanPositive) || !Double.isFinite(meanNegative)) {
            throw new IllegalArgumentException("non-finite statistics for " + id + ": mu " + mu
                    + ", meanPositive " + meanPositive + ", meanNegative " + meanNegative);
        }
    }

    /** The neuron's layer. */
    public int layer() {
        return id.layer();
    }

    /** The neuron's index in its layer. */
    public int neuron() {
        return id.neuron();
    }

    /** Whether it is more active on the positive prompts ({@code mu > 0}). */
    public boolean isPositive() {
        return mu > 0;
    }
}
