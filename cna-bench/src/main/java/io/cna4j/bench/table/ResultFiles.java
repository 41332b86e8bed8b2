package io.cna4j.bench.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JMH result files of a folder ({@code *.json} holding a JMH result array) and their machine
 * descriptions ({@code NAME.machine.txt}, {@code key: value} lines written by {@code run-benchmarks.sh}).
 * When several files hold the same benchmark with the same parameters, the newest run wins.
 *
 * @param records  the newest record of every benchmark and parameter set
 * @param machines each file's machine description, by result file name (files without one are absent)
 */
public record ResultFiles(List<BenchmarkRecord> records, Map<String, Map<String, String>> machines) {

    /** Reads every JMH result file in {@code folder}; other JSON files are skipped. */
    public static ResultFiles read(Path folder) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        Map<String, BenchmarkRecord> newest = new LinkedHashMap<>();
        Map<String, Map<String, String>> machines = new LinkedHashMap<>();
        for (Path f : files) {
            JsonNode root = json.readTree(f.toFile());
            if (root == null || !root.isArray() || root.isEmpty() || !root.get(0).has("benchmark")) continue;
            String name = f.getFileName().toString();
            Optional<Map<String, String>> machine = machine(f);
            machine.ifPresent(m -> machines.put(name, m));
            String date = machine.map(m -> m.get("date")).orElse(Instant.ofEpochMilli(Files.getLastModifiedTime(f).toMillis()).toString());
            for (JsonNode entry : root) {
                BenchmarkRecord r = BenchmarkRecord.of(entry, name, date);
                String key = r.name() + r.params();
                BenchmarkRecord old = newest.get(key);
                if (old == null || old.date().compareTo(r.date()) <= 0) newest.put(key, r);
            }
        }
        List<BenchmarkRecord> records = new ArrayList<>(newest.values());
        records.sort(Comparator.comparing(BenchmarkRecord::name));
        return new ResultFiles(records, machines);
    }

    /** The records of {@code Class.method}. */
    public List<BenchmarkRecord> of(String name) {
        return records.stream().filter(r -> r.name().equals(name)).toList();
    }

    /** The record of {@code Class.method} whose parameter {@code param} is {@code value}. */
    public Optional<BenchmarkRecord> find(String name, String param, String value) {
        return records.stream().filter(r -> r.name().equals(name) && r.param(param).orElse("").equals(value)).findFirst();
    }

    /** The result files the records come from, in name order. */
    public List<String> sources() {
        return records.stream().map(BenchmarkRecord::source).distinct().sorted().toList();
    }

    private static Optional<Map<String, String>> machine(Path json) throws IOException {
        String base = json.getFileName().toString().replaceFirst("\\.json$", "");
        Path txt = json.resolveSibling(base + ".machine.txt");
        if (!Files.isRegularFile(txt)) return Optional.empty();
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(txt)) {
            int i = line.indexOf(':');
            if (i > 0) m.put(line.substring(0, i).trim(), line.substring(i + 1).trim());
        }
        return Optional.of(m);
    }
}
