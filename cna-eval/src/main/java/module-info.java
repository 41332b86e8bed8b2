import org.jspecify.annotations.NullMarked;

/**
 * Measuring what steering does: prompt sets ({@link io.cna4j.eval.data.PromptDatasets}), the refusal classifier,
 * output quality, MMLU, the CAA baseline, next-token KL, sweeps of multipliers, tuning and reports with charts.
 * It works on any {@link io.cna4j.model.SteerableModel}.
 *
 * <p>Every package is API and exported. Charts are drawn by XChart (a named automatic module).
 *
 * {@snippet :
 * module my.app {
 *     requires io.cna4j.eval;   // brings io.cna4j.core
 * }
 * }
 */
@NullMarked
module io.cna4j.eval {
    requires transitive io.cna4j.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.csv;
    requires org.knowm.xchart;
    requires java.desktop;

    exports io.cna4j.eval.caa;
    exports io.cna4j.eval.data;
    exports io.cna4j.eval.kl;
    exports io.cna4j.eval.mmlu;
    exports io.cna4j.eval.quality;
    exports io.cna4j.eval.refusal;
    exports io.cna4j.eval.report;
    exports io.cna4j.eval.sweep;
    exports io.cna4j.eval.tune;
}
