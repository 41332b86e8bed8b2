/**
 * Sweeps: the same prompt set generated under several steering settings (CNA multipliers and CAA alphas),
 * measured for refusal rate, quality and optionally MMLU. {@link io.cna4j.eval.sweep.Sweep} is the front door.
 */
@NullMarked
package io.cna4j.eval.sweep;

import org.jspecify.annotations.NullMarked;
