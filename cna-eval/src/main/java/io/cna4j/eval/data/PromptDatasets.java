package io.cna4j.eval.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loaders for the prompt sets that discovery and evaluation use. Every loader returns a non-empty
 * {@link PromptSet} named after its source and fails with a {@link DataFileException} naming the file (and the
 * line where there is one) for a missing file, an empty file, invalid CSV or JSON, a missing column or field,
 * or a blank prompt.
 *
 * <ul>
 *   <li>{@link #jbb(Path)}: JailbreakBench's JBB-Behaviors CSV, harmful or benign: the {@code Goal} column.</li>
 *   <li>{@link #advBench(Path)}: AdvBench-style CSV with columns {@code goal,target}: the {@code goal} column.</li>
 *   <li>{@link #alpaca(Path, int)}: Alpaca JSON array of {@code {"instruction": ...}}: the first N instructions.</li>
 *   <li>{@link #lines(Path)}: plain UTF-8 text, one prompt a line, blank lines skipped.</li>
 *   <li>{@link PromptSet#of(String, List)}: an in-memory list.</li>
 * </ul>
 *
 * {@snippet :
 * Path data = Path.of("../shared/data");
 * PromptSet harmful = PromptDatasets.jbb(data.resolve("jailbreakbench/harmful.csv"));   // 100 goals
 * PromptSet benign = PromptDatasets.alpaca(data.resolve("alpaca/instructions.json"), 200);
 * }
 */
public final class PromptDatasets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptDatasets() {}

    /** The {@code Goal} column of a JBB-Behaviors CSV (harmful or benign split), named after the file. */
    public static PromptSet jbb(Path csv) {
        return column(csv, "Goal", "jbb-" + baseName(csv));
    }

    /** The {@code goal} column of an AdvBench-style CSV ({@code goal,target}), named after the file. */
    public static PromptSet advBench(Path csv) {
        return column(csv, "goal", "advbench-" + baseName(csv));
    }

    /** One column of any CSV file with a header row. */
    public static PromptSet column(Path csv, String column, String name) {
        List<String> prompts = new ArrayList<>();
        for (CsvRecord r : CsvRecords.read(csv, List.of(column))) {
            prompts.add(r.required(column).strip());
        }
        return new PromptSet(name, prompts, csv);
    }

    /**
     * The first {@code limit} {@code instruction} fields of an Alpaca-style JSON array (streamed, so a large
     * file is not read past the limit).
     */
    public static PromptSet alpaca(Path json, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        CsvRecords.requireReadableNonEmpty(json);
        List<String> prompts = new ArrayList<>();
        int line = 1;
        try (JsonParser p = JSON.createParser(json.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new DataFileException(json, p.currentLocation().getLineNr(), "expected a JSON array of objects");
            }
            while (prompts.size() < limit) {
                JsonToken t = p.nextToken();
                line = p.currentLocation().getLineNr();
                if (t == JsonToken.END_ARRAY) break;
                if (t != JsonToken.START_OBJECT) {
                    throw new DataFileException(json, line, "expected an object, found " + t);
                }
                JsonNode node = JSON.readTree(p);
                JsonNode instruction = node.get("instruction");
                if (instruction == null || !instruction.isTextual()) {
                    throw new DataFileException(json, line, "object has no string field 'instruction'");
                }
                if (instruction.asText().isBlank()) {
                    throw new DataFileException(json, line, "blank instruction");
                }
                prompts.add(instruction.asText().strip());
            }
        } catch (JsonProcessingException e) {
            int at = e.getLocation() == null ? line : e.getLocation().getLineNr();
            throw new DataFileException(json, at, "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DataFileException(json, 0, "cannot read: " + e.getMessage(), e);
        }
        if (prompts.isEmpty()) throw new DataFileException(json, "no instructions");
        return new PromptSet("alpaca (first " + prompts.size() + ")", prompts, json);
    }

    /** Plain UTF-8 text, one prompt a line, blank lines skipped, surrounding spaces removed. */
    public static PromptSet lines(Path text) {
        CsvRecords.requireReadableNonEmpty(text);
        List<String> lines;
        try {
            lines = Files.readAllLines(text, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new DataFileException(text, 0, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new DataFileException(text, 0, "cannot read: " + e.getMessage(), e);
        }
        List<String> prompts = lines.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (prompts.isEmpty()) throw new DataFileException(text, "only blank lines");
        return new PromptSet(baseName(text), prompts, text);
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
