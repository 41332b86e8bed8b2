/**
 * Output quality without a judge model: {@link io.cna4j.eval.quality.RepetitionQuality}, one minus the share of
 * repeated word 4-grams, so degenerate, looping text from over-steering scores low.
 */
@NullMarked
package io.cna4j.eval.quality;

import org.jspecify.annotations.NullMarked;
