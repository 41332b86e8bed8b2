/**
 * Reports of a sweep: machine-readable JSON ({@link io.cna4j.eval.report.SweepJson}), PNG charts
 * ({@link io.cna4j.eval.report.Charts}) and a Markdown report that embeds them
 * ({@link io.cna4j.eval.report.SweepReport}).
 */
@NullMarked
package io.cna4j.eval.report;

import org.jspecify.annotations.NullMarked;
