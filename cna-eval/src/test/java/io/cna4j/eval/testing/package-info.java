/** Test helpers: the shared data folder and a fake {@link io.cna4j.model.SteerableModel} with known answers. */
@NullMarked
package io.cna4j.eval.testing;

import org.jspecify.annotations.NullMarked;
