/**
 * MMLU multiple-choice accuracy from next-token logits: {@link io.cna4j.eval.mmlu.MmluDataset} loads questions,
 * {@link io.cna4j.eval.mmlu.MmluPrompts} writes the zero- and few-shot prompts, and
 * {@link io.cna4j.eval.mmlu.MmluEvaluator} scores a model, optionally under steering.
 */
@NullMarked
package io.cna4j.eval.mmlu;

import org.jspecify.annotations.NullMarked;
