/**
 * Prompt sets for evaluation and discovery: {@link io.cna4j.eval.data.PromptSet} and the loaders in
 * {@link io.cna4j.eval.data.PromptSets} (JBB-Behaviors CSV, AdvBench CSV, Alpaca JSON, plain text, in-memory lists).
 * Bad input fails with {@link io.cna4j.eval.data.DataFileException}, which names the file and line.
 */
@NullMarked
package io.cna4j.eval.data;

import org.jspecify.annotations.NullMarked;
