/** Tests of {@code io.cna4j.eval.mmlu}. */
@NullMarked
package io.cna4j.eval.mmlu;

import org.jspecify.annotations.NullMarked;
