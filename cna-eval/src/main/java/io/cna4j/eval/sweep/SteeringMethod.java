package io.cna4j.eval.sweep;

/**
 * How a sweep steers, and how each method's native parameter maps to the common steering-strength axis, where
 * 0 is the unchanged model and positive means "steered away from the behaviour" (less refusal).
 *
 * <ul>
 *   <li>{@link #CNA}: the circuit's neurons are multiplied by {@code m}; {@code m = 1} is unchanged, {@code m = 0}
 *       ablates them; {@code strength = 1 - m} (so m = 2, amplification, is strength -1).</li>
 *   <li>{@link #CAA}: {@code alpha} times the mean-difference vector is added to every MLP output;
 *       {@code alpha = 0} is unchanged; {@code strength = -alpha} (subtracting the refusal direction is positive).</li>
 * </ul>
 * Strength 1 removes the whole measured signal in each method's own way, but the interventions differ, so equal
 * strengths match in direction and end points, not in size; reports show the native value beside it.
 *
 * {@snippet :
 * double s = SteeringMethod.CNA.strength(0.25);   // 0.75
 * double t = SteeringMethod.CAA.strength(-0.5);   // 0.5
 * }
 */
public enum SteeringMethod {
    /** Contrastive neuron attribution: multiply the circuit's MLP neurons by {@code m}. */
    CNA("m"),
    /** Contrastive activation addition: add {@code alpha} times the mean-difference vector to MLP outputs. */
    CAA("alpha");

    private final String parameter;

    SteeringMethod(String parameter) {
        this.parameter = parameter;
    }

    /** The native parameter's name: {@code m} or {@code alpha}. */
    public String parameter() {
        return parameter;
    }

    /** The value of the native parameter that leaves the model unchanged: 1 for CNA, 0 for CAA. */
    public double identity() {
        return this == CNA ? 1 : 0;
    }

    /** The common steering strength of native value {@code value}. */
    public double strength(double value) {
        return (this == CNA ? 1 - value : -value) + 0.0; // + 0.0 turns -0.0 into 0.0
    }
}
