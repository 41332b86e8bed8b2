@NullMarked
package io.cna4j.eval.tune;

import org.jspecify.annotations.NullMarked;
