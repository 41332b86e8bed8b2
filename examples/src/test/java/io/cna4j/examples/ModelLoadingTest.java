package io.cna4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.cna4j.jlama.JlamaOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ModelLoadingTest {
    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Mixin
        ModelLoading loading;

        @Override
        public void run() {}
    }

    private static ModelLoading parse(String... args) {
        Probe p = new Probe();
        CliErrors.commandLine(p).parseArgs(args);
        return p.loading;
    }

    @Test
    void weightsAreAsStoredUnlessQ8IsAsked() {
        assertThat(parse().options()).isEqualTo(JlamaOptions.defaults());
        assertThat(parse("--weights", "q8_0").options().quantization()).isEqualTo(JlamaOptions.Quantization.Q8_0);
        assertThat(parse("--weights", "Q8_0").options().quantization()).isEqualTo(JlamaOptions.Quantization.Q8_0);
        assertThat(parse("--weights", "stored").options().quantization()).isEqualTo(JlamaOptions.Quantization.NONE);
    }

    @Test
    void theCacheDefaultsToTheUsersCacheFolder() {
        assertThat(parse().cache).isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "cna4j", "models"));
        assertThat(parse("--cache", "/tmp/x").cache).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void anUnknownFormIsAUsageError() {
        Probe p = new Probe();
        CommandLine cl = CliErrors.commandLine(p);
        cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertThat(cl.execute("--weights", "q4")).isEqualTo(CliErrors.USAGE);
    }
}
