package io.cna4j.bench;

import jdk.incubator.vector.FloatVector;

/**
 * Prints, as {@code key: value} lines, what of this JVM a benchmark result depends on: the JDK, the
 * processors it sees, the Vector API's preferred width and the tensor-operations provider jlama picks
 * with this JVM's flags. {@code run-benchmarks.sh} runs it with and without
 * {@code -Djlama.force_panama_tensor_operations=true} and keeps the output beside the JMH JSON.
 */
public final class MachineDescription {
    private MachineDescription() {}

    /** Prints the description; with argument {@code --operations-only}, only the provider's name. */
    public static void main(String[] args) {
        String ops = OperationsProvider.name();
        if (args.length > 0 && args[0].equals("--operations-only")) {
            System.out.println(ops);
            return;
        }
        System.out.println("jdk: " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("processors: " + Runtime.getRuntime().availableProcessors());
        System.out.println("vector width: " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits");
        System.out.println("operations: " + ops);
    }
}
