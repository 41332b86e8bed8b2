package io.cna4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo in a child JVM (the JVM flags of ./cna4j, small options) over an existing report folder and kills
 * it: with SIGKILL at several points, from the model's writing to the report's commit, the folder is afterwards
 * either the old report, byte for byte, or the new one, whole ({@code run.json}'s hashes); a SIGTERM deletes the
 * constructed model's temporary folder and the staged report; and the next run cleans up what the SIGKILLs left.
 */
class DemoKillTest {
    @TempDir Path dir;

    /** Small settings: two prompts, four tokens, two settings per method, no universal filter. */
    private static final List<String> SMALL = List.of("--limit", "2", "--max-tokens", "4", "--multipliers", "0,1",
            "--alphas", "-1,0", "--keep-universal");

    /** A kill: when a line starting with {@code trigger} appears on stdout, wait {@code delayMs}, then signal. */
    private record KillPoint(String trigger, long delayMs) {}

    /** What a run did: its exit status, whether it was killed before it ended by itself, its stdout. */
    private record Ended(int status, boolean killed, String stdout) {}

    private Ended runDemo(Path out, Path tmp, @Nullable KillPoint kill, boolean sigkill) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of("-Xmx2g", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                DemoMain.class.getName()));
        cmd.addAll(SMALL);
        cmd.addAll(List.of("--out", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        StringBuilder stdout = new StringBuilder();
        CompletableFuture<Boolean> killed = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    stdout.append(line).append('\n');
                    if (kill != null && line.startsWith(kill.trigger())) {
                        Thread.sleep(kill.delayMs());
                        if (!p.isAlive()) return false;
                        if (sigkill) p.destroyForcibly();
                        else p.destroy();
                        return true;   // destroy closes the streams: nothing more to read

                    }
                }
                return false;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the demo ended within 5 minutes").isTrue();
        // a signal sent just as the demo ended by itself kills nothing: the exit status tells
        return new Ended(p.exitValue(), killed.get(10, TimeUnit.SECONDS) && p.exitValue() != 0, stdout.toString());
    }

    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) return out;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                try {
                    out.put(root.relativize(f).toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    private static List<String> listing(Path folder, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }

    /** "old" when {@code out} is the old report unchanged, "new" when it is a whole new report; else fails. */
    private static String stateOf(Path out, Map<String, String> old) throws IOException {
        if (tree(out).equals(old)) return "old";
        assertThat(out.resolve(StagedReport.MANIFEST)).as("neither the old report nor a finished new one: " + tree(out).keySet())
                .isRegularFile();
        RunManifest m = RunManifest.read(out);
        assertThat(m.check(out)).as("the new report is whole").isEmpty();
        assertThat(m.files()).containsKeys("report.md", "sweep.json", "circuit.json", "summary.json",
                "refusal-vs-strength.png", "base/report.md", "base/circuit.json");
        return "new";
    }

    @Test
    void killedRunsLeaveTheOldReportOrTheNewOneWhole() throws Exception {
        Path out = Files.createDirectories(dir.resolve("cna-report/base"));
        Files.writeString(out.resolveSibling("summary.json"), "{\"model\": \"an earlier run\"}\n");
        Files.writeString(out.resolveSibling("report.md"), "# The earlier report\n");
        Files.writeString(out.resolve("report.md"), "# The earlier base report\n");
        out = out.getParent();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> old = tree(out);

        // SIGTERM: the shutdown hooks delete the constructed model's folder and the staged report
        Ended term = runDemo(out, tmp, new KillPoint("Model: instruct", 300), false);
        assertThat(term.killed()).isTrue();
        assertThat(term.status()).isEqualTo(143);
        assertThat(stateOf(out, old)).isEqualTo("old");
        assertThat(listing(tmp, ScratchFolder.PREFIX)).isEmpty();
        assertThat(listing(dir, ".cna-report")).isEmpty();

        // SIGKILL from the model's writing to the end of the run
        // "Base model:" is printed a few hundred milliseconds before the end: the reports are written and committed
        // in that window, which the delays sample; the last point kills mid-run, to leave leftovers for the next run
        List<KillPoint> points = List.of(new KillPoint("No --model given", 0), new KillPoint("Base model:", 0),
                new KillPoint("Base model:", 60), new KillPoint("Base model:", 120), new KillPoint("Base model:", 180),
                new KillPoint("Base model:", 240), new KillPoint("Model: base", 0));
        List<String> states = new ArrayList<>();
        for (KillPoint k : points) {
            Ended e = runDemo(out, tmp, k, true);
            String state = stateOf(out, old);
            states.add(k + " -> " + (e.killed() ? "killed, exit " + e.status() : "ended, exit " + e.status()) + ", " + state);
            assertThat(e.status()).isEqualTo(e.killed() ? 137 : 0);
            if (!e.killed()) assertThat(state).isEqualTo("new");
            if (state.equals("new")) old = tree(out);   // the next kill must leave this one or a newer one
            if (e.killed() && state.equals("old")) {
                assertThat(listing(dir, ".cna-report.cna4j-")).as("a killed run leaves its staging folder").isNotEmpty();
            }
        }
        System.out.println("[DemoKillTest] " + String.join("\n[DemoKillTest] ", states));
        assertThat(states.get(0)).contains("killed, exit 137, old");
        assertThat(states.get(states.size() - 1)).contains("killed, exit 137");
        assertThat(listing(tmp, ScratchFolder.PREFIX)).as("a run killed mid-way leaves its model folder").isNotEmpty();

        // the next run cleans up after the killed ones and ends with a new report
        Ended last = runDemo(out, tmp, null, true);
        assertThat(last.status()).as(last.stdout()).isZero();
        assertThat(stateOf(out, Map.of())).isEqualTo("new");
        assertThat(listing(tmp, ScratchFolder.PREFIX)).as("no model folder or lock file outlives its run").isEmpty();
        assertThat(listing(dir, "")).containsExactly("cna-report", "tmp");
        assertThat(Files.readString(out.resolve("report.md"))).contains("Recall of the planted gate neurons: ",
                "## Circuit", "| rank | neuron |", "Command line: `cna-demo --limit 2", "- cna4j ", "## Base model");
    }
}
