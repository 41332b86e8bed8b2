/** Tests of the prompt-set loaders, on the shared data and on broken files. */
@NullMarked
package io.cna4j.eval.data;

import org.jspecify.annotations.NullMarked;
