/** Tests of {@code io.cna4j.eval.refusal}. */
@NullMarked
package io.cna4j.eval.refusal;

import org.jspecify.annotations.NullMarked;
