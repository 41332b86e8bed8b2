/**
 * The text &lt;-&gt; token ids boundary of cna4j's jlama backend, exactly as Hugging Face computes it.
 *
 * <ul>
 *   <li>{@link io.cna4j.jlama.text.HfTokenizer}: a model's {@code tokenizer.json} run by Hugging Face's own
 *       {@code tokenizers} library (through DJL's Java binding), so pre-tokenizer regexes, byte-level
 *       UTF-8 handling, added tokens and post-processors behave as in Python.</li>
 *   <li>{@link io.cna4j.jlama.text.ChatTemplate}: the model's Jinja chat template rendered as
 *       {@code apply_chat_template(messages, add_generation_prompt=True)} renders it.</li>
 *   <li>{@link io.cna4j.jlama.text.PromptEncoder}: a {@link io.cna4j.model.Prompt} to ids (chat prompts are
 *       rendered, then encoded without adding special tokens again; raw prompts get the tokenizer's own
 *       post-processing).</li>
 *   <li>{@link io.cna4j.jlama.text.TextStream}: generated ids to text piece by piece, never splitting a
 *       multi-byte character.</li>
 * </ul>
 * jlama keeps running the model; its own tokenizer is not used for text.
 */
@NullMarked
package io.cna4j.jlama.text;

import org.jspecify.annotations.NullMarked;
