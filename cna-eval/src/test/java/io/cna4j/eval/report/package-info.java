/** Tests of {@code io.cna4j.eval.report}. */
@NullMarked
package io.cna4j.eval.report;

import org.jspecify.annotations.NullMarked;
