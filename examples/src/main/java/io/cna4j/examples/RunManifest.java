package io.cna4j.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cna4j.eval.report.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code run.json}, the last file a cna-demo report gets: which run wrote the report (id, cna4j version, command
 * line, start and end) and the SHA-256 of every other file in it, so that a script, or the kill test, can check
 * that a report folder is whole.
 *
 * {@snippet :
 * RunManifest m = RunManifest.read(Path.of("cna-report"));
 * List<String> problems = m.check(Path.of("cna-report"));   // empty when every file is there, unchanged
 * }
 *
 * @param runId       a random id of the run
 * @param cna4j       the cna4j version
 * @param commandLine the arguments the program was given
 * @param started     ISO-8601 start time
 * @param finished    ISO-8601 end time
 * @param files       path relative to the report folder ({@code /}-separated) to SHA-256, hex
 */
public record RunManifest(String runId, String cna4j, List<String> commandLine, String started, String finished,
        Map<String, String> files) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunManifest {
        commandLine = List.copyOf(commandLine);
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));   // sorted, for people reading it
    }

    /** Lists and hashes every file under {@code dir} and writes {@code dir/run.json}. */
    static RunManifest write(Path dir, String runId, List<String> commandLine, String started, String finished)
            throws IOException {
        RunManifest m = new RunManifest(runId, Version.get(), commandLine, started, finished, hashes(dir));
        AtomicFiles.write(dir.resolve(StagedReport.MANIFEST), JSON.writeValueAsString(m) + "\n");
        return m;
    }

    /** Reads {@code dir/run.json}. */
    static RunManifest read(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(StagedReport.MANIFEST).toFile(), RunManifest.class);
    }

    /** What is wrong with {@code dir} against this manifest: missing, changed or extra files; empty when whole. */
    List<String> check(Path dir) throws IOException {
        Map<String, String> now = hashes(dir);
        now.remove(StagedReport.MANIFEST);
        List<String> problems = new java.util.ArrayList<>();
        for (var e : new TreeMap<>(files).entrySet()) {
            String h = now.remove(e.getKey());
            if (h == null) problems.add("missing " + e.getKey());
            else if (!h.equals(e.getValue())) problems.add("changed " + e.getKey());
        }
        now.keySet().forEach(k -> problems.add("not in the manifest: " + k));
        return problems;
    }

    private static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String rel = dir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                if (!rel.equals(StagedReport.MANIFEST)) out.put(rel, sha256(f));
            }
        }
        return out;
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
