/** Tests of {@code io.cna4j.eval.quality}. */
@NullMarked
package io.cna4j.eval.quality;

import org.jspecify.annotations.NullMarked;
