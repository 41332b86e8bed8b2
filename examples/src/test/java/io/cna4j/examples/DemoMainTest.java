package io.cna4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cna-demo's command line as a person meets it: every mistake is one line on stderr naming the option or file, exit
 * status 2 for usage errors and 1 for failures, checked before any model is written or loaded.
 */
class DemoMainTest {
    @TempDir Path dir;

    /** Exit status, stdout and stderr of one in-process run. */
    record Outcome(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = DemoMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(status, out.toString(), err.toString());
    }

    /** Runs {@code args} with --out in the test folder and asserts a one-line usage error with these words. */
    void assertUsageError(String expectedLine, String... args) {
        long start = System.nanoTime();
        Outcome o = run(args);
        assertThat(o.status()).as(o.err()).isEqualTo(2);
        assertThat(o.errLines()).containsExactly(expectedLine);
        // rejected before any model is written or loaded: a planted model takes seconds to write and load
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(5.0);
        assertThat(scratchFolders()).isEmpty();
    }

    private List<Path> scratchFolders() {
        try (var s = Files.list(ScratchFolder.defaultParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith(ScratchFolder.PREFIX))
                    .filter(p -> !p.getFileName().toString().endsWith(FolderLease.LOCK_SUFFIX))
                    .filter(p -> p.toFile().lastModified() > System.currentTimeMillis() - 5_000).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badNumbersNameTheirOption() {
        String out = dir.resolve("r").toString();
        assertUsageError("cna-demo: --limit must be at least 1, got 0", "--limit", "0", "--out", out);
        assertUsageError("cna-demo: --limit must be at least 1, got -3", "--limit", "-3", "--out", out);
        assertUsageError("cna-demo: --top-fraction must be above 0 and at most 1, got 0.0", "--top-fraction", "0", "--out", out);
        assertUsageError("cna-demo: --top-fraction must be above 0 and at most 1, got 1.5", "--top-fraction", "1.5", "--out", out);
        assertUsageError("cna-demo: --max-tokens must be at least 1, got 0", "--max-tokens", "0", "--out", out);
        assertUsageError("cna-demo: --multipliers must be finite numbers, got NaN", "--multipliers", "0,NaN", "--out", out);
        assertUsageError("cna-demo: Invalid value for option '--limit': 'ten' is not an int", "--limit", "ten", "--out", out);
        assertUsageError("cna-demo: Unknown option: '--limt=3'; did you mean --limit?", "--limt=3", "--out", out);
        assertUsageError("cna-demo: Invalid value for option '--weights': expected one of [STORED, Q8_0] (case-insensitive) but was 'q4'",
                "--weights", "q4", "--out", out);
        assertThat(dir.resolve("r")).doesNotExist();
    }

    @Test
    void modelAndRandomFromExcludeEachOther() {
        assertUsageError("cna-demo: give at most one of --model or --random-from",
                "--model", dir.toString(), "--random-from", dir.toString(), "--out", dir.resolve("r").toString());
    }

    @Test
    void aMistypedModelFolderIsAMissingFolderNotAHubDownload() {
        Path cache = dir.resolve("cache");
        assertUsageError("cna-demo: --model: nonexistent/model: no such folder (for the Hugging Face Hub model write "
                + "hf:nonexistent/model)", "--model", "nonexistent/model", "--cache", cache.toString(),
                "--out", dir.resolve("r").toString());
        assertUsageError("cna-demo: --base: ./models/base: no such folder", "--base", "./models/base",
                "--cache", cache.toString(), "--out", dir.resolve("r").toString());
        assertUsageError("cna-demo: --model: 'not an id' is not a Hub id of the form owner/name", "--model", "hf:not an id",
                "--cache", cache.toString(), "--out", dir.resolve("r").toString());
        assertThat(cache).doesNotExist();
    }

    @Test
    void outMustBeAFolderInAWritablePlace() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        assertUsageError("cna-demo: --out: " + file + " exists and is not a folder", "--out", file.toString());
        Path under = file.resolve("report");
        assertUsageError("cna-demo: --out: " + file + " is a file, not a folder",
                "--out", under.toString());
        Outcome proc = run("--out", "/proc/cna-report");   // a place nobody can write, not even root
        assertThat(proc.status()).isEqualTo(2);
        assertThat(proc.errLines()).singleElement().asString()
                .startsWith("cna-demo: --out: cannot write the report there: /proc/");
        Path foreign = Files.createDirectories(dir.resolve("src"));
        Files.writeString(foreign.resolve("Main.java"), "class Main {}");
        assertUsageError("cna-demo: --out: " + foreign + " is a folder of other files (no run.json or summary.json); "
                + "give a new or empty folder, or a cna4j report folder to replace", "--out", foreign.toString());
        assertThat(Files.readString(file)).isEqualTo("mine");
        assertThat(foreign.resolve("Main.java")).hasContent("class Main {}");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.txt", "src");
        }
    }

    @Test
    void promptFilesAreCheckedBeforeAnyModel() throws IOException {
        String out = dir.resolve("r").toString();
        Path missing = dir.resolve("harmful.csv");
        assertUsageError("cna-demo: --positive: " + missing + ": no such file", "--positive", missing.toString(), "--out", out);
        Path parquet = Files.writeString(dir.resolve("benign.parquet"), "PAR1");
        assertUsageError("cna-demo: --negative: " + parquet + ": not a prompt file; use .csv, .json, .jsonl, .txt "
                + "(one prompt a line)", "--negative", parquet.toString(), "--out", out);
        Path jsonl = Files.writeString(dir.resolve("mixed.jsonl"), "{\"prompt\": \"a\", \"goal\": \"b\"}\n");
        assertUsageError("cna-demo: --positive: " + jsonl + ", line 1: ambiguous prompt field: both prompt and goal "
                + "(the first object has [prompt, goal]); name the field to use with --prompt-field",
                "--positive", jsonl.toString(), "--out", out);
        Path none = Files.writeString(dir.resolve("none.jsonl"), "{\"text\": \"a\"}\n");
        assertUsageError("cna-demo: --positive: " + none + ", line 1: no prompt field: none of [prompt, instruction, goal] "
                + "(the first object has [text]); name the field to use with --prompt-field",
                "--positive", none.toString(), "--out", out);
        assertUsageError("cna-demo: --positive: " + none + ", line 1: object has no string field 'body' (it has [text])",
                "--positive", none.toString(), "--prompt-field", "body", "--out", out);
    }

    @Test
    void helpAndVersionExitZero() {
        Outcome help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage: cna-demo", "--out=FOLDER", "--prompt-field=NAME", "--weights=stored|q8_0", "Exit status:");
        Outcome version = run("--version");
        assertThat(version.status()).isZero();
        assertThat(version.out().strip()).matches("cna4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .+\\)");
    }

    @Test
    void aModelThatCannotBeLoadedIsAOneLineFailure() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty-model"));
        Path out = dir.resolve("r");
        Outcome o = run("--model", empty.toString(), "--out", out.toString(), "--limit", "2");
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.errLines()).hasSize(1);
        assertThat(o.errLines().get(0)).startsWith("cna-demo: " + empty + ": config.json (the model's configuration) is missing").doesNotContain("Exception");
        assertThat(out).doesNotExist();   // nothing staged is left behind either
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("empty-model");
        }
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty-model"));
        Outcome o = run("--model", empty.toString(), "--out", dir.resolve("r").toString(), "--verbose");
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.errLines().get(0)).startsWith("cna-demo: " + empty + ": config.json (the model's configuration) is missing");
        assertThat(o.err()).contains("io.cna4j.jlama.ModelLoadException", "\tat io.cna4j.jlama.ModelFolder");
    }
}
