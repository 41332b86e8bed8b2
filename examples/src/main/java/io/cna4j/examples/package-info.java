/** Runnable programs: {@link io.cna4j.examples.DemoMain} is the README's main job. */
@NullMarked
package io.cna4j.examples;

import org.jspecify.annotations.NullMarked;
