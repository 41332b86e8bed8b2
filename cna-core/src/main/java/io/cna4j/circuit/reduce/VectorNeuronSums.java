package io.cna4j.circuit.reduce;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NeuronSums} with the Vector API: as many neurons per step as the CPU's preferred double vector
 * holds (8 with AVX-512). Lane for lane it performs the scalar version's IEEE operations, so the two agree
 * bit for bit; the tail that does not fill a vector goes through the scalar code.
 */
final class VectorNeuronSums extends NeuronSums {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));

    VectorNeuronSums(int width) {
        super(width);
    }

    @Override
    int findUnsupported(float[] values) {
        VectorSpecies<Float> fs = FloatVector.SPECIES_PREFERRED;
        int upper = fs.loopBound(values.length);
        for (int j = 0; j < upper; j += fs.length()) {
            // NaN fails the comparison, so it counts as unsupported like infinities and huge values
            if (!FloatVector.fromArray(fs, values, j).abs().lt(MAX_ABS_ACTIVATION).allTrue()) {
                return firstUnsupported(values);
            }
        }
        for (int j = upper; j < values.length; j++) {
            if (!(Math.abs(values[j]) < MAX_ABS_ACTIVATION)) return j;
        }
        return -1;
    }

    @Override
    void accumulate(float[] values) {
        int upper = D.loopBound(width);
        int j = 0;
        for (; j < upper; j += D.length()) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(F, values, j)
                    .convertShape(VectorOperators.F2D, D, 0);
            DoubleVector abs = x.abs();
            // rounding to the grain changes only values below 2^-37 (and zeros' signs): skip it when no lane is
            // that small, which saves two of the adds that bound this loop; the result is the same either way
            DoubleVector onGrain = abs.lt(ExactSum.SUM_GRAIN_FLOOR).anyTrue()
                    ? x.blend(x.add(ExactSum.SUM_ROUNDER).sub(ExactSum.SUM_ROUNDER), abs.lt(ExactSum.SUM_ROUND_BELOW))
                    : x;
            addAt(sumHi, sumLo, j, onGrain);
        }
        for (; j < width; j++) {
            double x = values[j];
            ExactSum.add(sumHi, sumLo, j, ExactSum.onSumGrain(x));
        }
    }

    /** The vector form of {@code ExactSum.add}: TwoSum, add the low parts, FastTwoSum. */
    private static void addAt(double[] hi, double[] lo, int j, DoubleVector x) {
        DoubleVector a = DoubleVector.fromArray(D, hi, j);
        DoubleVector s = a.add(x);
        DoubleVector bb = s.sub(a);
        DoubleVector e = a.sub(s.sub(bb)).add(x.sub(bb));
        DoubleVector t = DoubleVector.fromArray(D, lo, j).add(e);
        DoubleVector h = s.add(t);
        h.intoArray(hi, j);
        t.sub(h.sub(s)).intoArray(lo, j);
    }
}
