/**
 * Deciding whether a response refuses: {@link io.cna4j.eval.refusal.RefusalClassifier}, a keyword and regex
 * matcher over the start of a response that reports the pattern that matched, for auditing.
 */
@NullMarked
package io.cna4j.eval.refusal;

import org.jspecify.annotations.NullMarked;
