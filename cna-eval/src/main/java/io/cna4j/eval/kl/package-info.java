/**
 * KL divergence of next-token distributions: how far steering moves a model from itself on prompts where it
 * should not change. {@link io.cna4j.eval.kl.KlDivergence} is the arithmetic, {@link io.cna4j.eval.kl.NextTokenKl}
 * measures it on a prompt set.
 */
@NullMarked
package io.cna4j.eval.kl;

import org.jspecify.annotations.NullMarked;
