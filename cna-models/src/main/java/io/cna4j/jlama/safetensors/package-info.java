/**
 * Reading and writing the Hugging Face safetensors format: header validation (so that a truncated or
 * corrupt file fails with a message instead of inside a memory-mapped read) and a streaming writer for
 * generated weights.
 */
@NullMarked
package io.cna4j.jlama.safetensors;

import org.jspecify.annotations.NullMarked;
