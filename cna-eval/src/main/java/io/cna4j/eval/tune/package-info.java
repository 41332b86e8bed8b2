/**
 * Tuning a circuit: the circuit size (a prefix of one discovery's ranking) and the multiplier that change the
 * behaviour most and the model least, found with few forward passes. {@link io.cna4j.eval.tune.Tuning} is the
 * front door; {@link io.cna4j.eval.tune.TuneReport} writes {@code tune.json} and the Pareto chart.
 */
@NullMarked
package io.cna4j.eval.tune;

import org.jspecify.annotations.NullMarked;
