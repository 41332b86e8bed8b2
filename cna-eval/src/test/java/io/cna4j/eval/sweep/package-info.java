/** Tests of {@code io.cna4j.eval.sweep}. */
@NullMarked
package io.cna4j.eval.sweep;

import org.jspecify.annotations.NullMarked;
