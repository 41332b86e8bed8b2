/**
 * Prompt sets for evaluation and discovery: {@link io.cna4j.eval.data.PromptSet} and the loaders in
 * {@link io.cna4j.eval.data.PromptDatasets} (JBB-Behaviors CSV, AdvBench CSV, Alpaca JSON, plain text, in-memory lists),
 * and {@link io.cna4j.eval.data.PromptFiles}, which reads any {@code .csv}, {@code .json}, {@code .jsonl} or {@code .txt}
 * prompt file by its extension, naming the set after the file.
 * Bad input fails with {@link io.cna4j.eval.data.DataFileException}, which names the file and line.
 */
@NullMarked
package io.cna4j.eval.data;

import org.jspecify.annotations.NullMarked;
