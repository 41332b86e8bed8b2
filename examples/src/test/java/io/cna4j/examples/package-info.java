/** Tests of cna-demo: its command line, its report folder and temporary folders, and kills of a running demo. */
@NullMarked
package io.cna4j.examples;

import org.jspecify.annotations.NullMarked;
