/**
 * {@code make-table}: turns the JMH JSON files under {@code cna-bench/results/} into the Markdown
 * performance table of the READMEs (each benchmark, its baseline, the ratio with its error, the target and
 * whether it is met), plus the achieved GFLOP/s and GB/s next to this machine's limits.
 */
package io.cna4j.bench.table;
