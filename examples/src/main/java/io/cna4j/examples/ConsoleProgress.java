package io.cna4j.examples;

import io.cna4j.progress.Progress;
import io.cna4j.progress.ProgressListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ProgressListener} that draws one terminal progress bar per stage (prompts done, rate, time left),
 * using the progressbar library.
 *
 * {@snippet :
 * try (ConsoleProgress bar = new ConsoleProgress()) {
 *     Circuit.discover(model).positive(p).negative(n).onProgress(bar).run();
 * }
 * }
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private @Nullable ProgressBar bar;
    private @Nullable String stage;

    @Override
    public synchronized void onProgress(Progress p) {
        if (!p.stage().equals(stage)) {
            close();
            stage = p.stage();
            bar = new ProgressBarBuilder().setTaskName(String.format("%-10s", p.stage())).setInitialMax(p.total())
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" prompts", 1).showSpeed().setMaxRenderedLength(100).build();
        }
        bar.stepTo(p.done());
        if (p.done() >= p.total()) close();
    }

    @Override
    public synchronized void close() {
        if (bar != null) bar.close();
        bar = null;
        stage = null;
    }
}
