@NullMarked
package io.cna4j.eval.kl;

import org.jspecify.annotations.NullMarked;
