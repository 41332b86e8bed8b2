/**
 * The contrastive activation addition (CAA) baseline: {@link io.cna4j.eval.caa.CaaVector}, the per-layer mean
 * difference of MLP outputs at the last prompt token between two prompt sets, and the interceptor that adds a
 * multiple of it to every MLP output.
 */
@NullMarked
package io.cna4j.eval.caa;

import org.jspecify.annotations.NullMarked;
