/** Progress reporting for long work (discovery, sweeps, evaluations): one listener type for all of it. */
@NullMarked
package io.cna4j.progress;

import org.jspecify.annotations.NullMarked;
