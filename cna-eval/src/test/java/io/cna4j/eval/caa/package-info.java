/** Tests of {@code io.cna4j.eval.caa}. */
@NullMarked
package io.cna4j.eval.caa;

import org.jspecify.annotations.NullMarked;
