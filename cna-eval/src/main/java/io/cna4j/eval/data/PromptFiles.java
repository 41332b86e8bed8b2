package io.cna4j.eval.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads a prompt file of any supported kind, chosen by its extension, into a {@link PromptSet} named after the
 * file (e.g. {@code "harmful.csv"}, {@code "harmful.csv (first 10)"}):
 *
 * <ul>
 *   <li>{@code .csv} with a header row: one column;</li>
 *   <li>{@code .json}: an array of objects (one field each) or of strings;</li>
 *   <li>{@code .jsonl}: JSON Lines, one object (one field each) or string a line, blank lines skipped;</li>
 *   <li>{@code .txt}: one prompt a line, blank lines skipped.</li>
 * </ul>
 *
 * The column or field is the one given, or else the one of {@link #DEFAULT_FIELDS} that the header or first
 * object has (compared without case: JBB's {@code Goal}, AdvBench's {@code goal}, Alpaca's {@code instruction});
 * none or more than one of them is a {@link DataFileException} that lists what the file has. Any other extension
 * is rejected, as is every problem of the content, with the file and line named.
 *
 * {@snippet :
 * PromptSet harmful = PromptFiles.load(Path.of("harmful.csv"), null, 100);              // the Goal column
 * PromptSet seeds = PromptFiles.load(Path.of("seed_tasks.jsonl"), "instruction", 50);
 * }
 */
public final class PromptFiles {
    /** The fields or columns looked for when none is named, in no order: exactly one must be present. */
    public static final List<String> DEFAULT_FIELDS = List.of("prompt", "instruction", "goal");
    /** The extensions read, lower case. */
    public static final List<String> EXTENSIONS = List.of(".csv", ".json", ".jsonl", ".txt");

    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptFiles() {}

    /**
     * The first {@code limit} prompts of {@code file}.
     *
     * @param field the CSV column or JSON field holding the prompt; null to pick one of {@link #DEFAULT_FIELDS}
     * @throws DataFileException    for an unsupported extension, a missing or empty file, invalid content, or a
     *                              missing, ambiguous or blank prompt field
     * @throws IllegalArgumentException if {@code limit < 1} or {@code field} is blank
     */
    public static PromptSet load(Path file, @Nullable String field, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        if (field != null && field.isBlank()) throw new IllegalArgumentException("field is blank");
        String ext = extension(file);
        PromptSet all = switch (ext) {
            case ".csv" -> csv(file, field);
            // JSON is streamed: one prompt past the limit tells first(limit) whether the file had more
            case ".json" -> jsonArray(file, field, limit);
            case ".jsonl" -> jsonLines(file, field, limit);
            case ".txt" -> {
                PromptSet lines = PromptDatasets.lines(file);
                yield new PromptSet(file.getFileName().toString(), lines.prompts(), file);
            }
            default -> throw new DataFileException(file, (ext.isEmpty() ? "no extension" : "unsupported extension '" + ext + "'")
                    + "; prompt files are " + String.join(", ", EXTENSIONS) + " (one prompt a line)");
        };
        return all.first(limit);
    }

    /** Whether {@link #load} reads files named like {@code file}. */
    public static boolean supports(Path file) {
        return EXTENSIONS.contains(extension(file));
    }

    private static String extension(Path file) {
        Path name = file.getFileName();
        if (name == null) return "";
        String s = name.toString().toLowerCase(Locale.ROOT);
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(dot) : "";
    }

    private static PromptSet csv(Path file, @Nullable String field) {
        List<CsvRecord> records = CsvRecords.read(file, field == null ? List.of() : List.of(field));
        String column = field != null ? field
                : pick(file, 1, records.get(0).values().keySet().stream().sorted().toList(), "header", "column");
        List<String> prompts = new ArrayList<>();
        for (CsvRecord r : records) {
            String v = r.get(column);
            if (v == null || v.isBlank()) throw r.error("empty " + column);
            prompts.add(v.strip());
        }
        return new PromptSet(file.getFileName().toString(), prompts, file);
    }

    private static PromptSet jsonArray(Path file, @Nullable String field, int limit) {
        CsvRecords.requireReadableNonEmpty(file);
        List<String> prompts = new ArrayList<>();
        String chosen = field;
        int line = 1;
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new DataFileException(file, p.currentLocation().getLineNr(),
                        "expected a JSON array of objects or strings");
            }
            while (prompts.size() <= limit) {
                JsonToken t = p.nextToken();
                line = p.currentLocation().getLineNr();
                if (t == JsonToken.END_ARRAY) break;
                if (t != JsonToken.START_OBJECT && t != JsonToken.VALUE_STRING) {
                    throw new DataFileException(file, line, "expected an object or a string, found " + t);
                }
                JsonNode node = JSON.readTree(p);
                if (chosen == null && node.isObject()) chosen = pick(file, line, fieldNames(node), "first object", "field");
                prompts.add(prompt(file, line, node, chosen));
            }
        } catch (JsonProcessingException e) {
            int at = e.getLocation() == null ? line : e.getLocation().getLineNr();
            throw new DataFileException(file, at, "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DataFileException(file, 0, "cannot read: " + e.getMessage(), e);
        }
        if (prompts.isEmpty()) throw new DataFileException(file, "an empty array: no prompts");
        return new PromptSet(file.getFileName().toString(), prompts, file);
    }

    private static PromptSet jsonLines(Path file, @Nullable String field, int limit) {
        CsvRecords.requireReadableNonEmpty(file);
        List<String> prompts = new ArrayList<>();
        String chosen = field;
        int line = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String text = r.readLine(); text != null && prompts.size() <= limit; text = r.readLine()) {
                line++;
                if (text.isBlank()) continue;
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new DataFileException(file, line, "invalid JSON Lines: " + e.getOriginalMessage(), e);
                }
                if (node == null || !(node.isObject() || node.isTextual())) {
                    throw new DataFileException(file, line, "expected one JSON object or string a line, found "
                            + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
                }
                if (chosen == null && node.isObject()) chosen = pick(file, line, fieldNames(node), "first object", "field");
                prompts.add(prompt(file, line, node, chosen));
            }
        } catch (CharacterCodingException e) {
            throw new DataFileException(file, line + 1, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new DataFileException(file, 0, "cannot read: " + e.getMessage(), e);
        }
        if (prompts.isEmpty()) throw new DataFileException(file, "only blank lines");
        return new PromptSet(file.getFileName().toString(), prompts, file);
    }

    private static String prompt(Path file, int line, JsonNode node, @Nullable String field) {
        JsonNode value = node;
        if (node.isObject()) {
            value = node.get(field);
            if (value == null || !value.isTextual()) {
                throw new DataFileException(file, line, "object has no string field '" + field + "' (it has "
                        + fieldNames(node) + ")");
            }
        }
        if (value.asText().isBlank()) throw new DataFileException(file, line, "blank prompt");
        return value.asText().strip();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) names.add(it.next());
        return names;
    }

    /** The one of {@link #DEFAULT_FIELDS} among {@code names} (case ignored), or an error listing them. */
    private static String pick(Path file, int line, List<String> names, String where, String kind) {
        List<String> found = names.stream().filter(n -> DEFAULT_FIELDS.contains(n.toLowerCase(Locale.ROOT))).toList();
        if (found.size() == 1) return found.get(0);
        String has = " (the " + where + " has " + names + "); name the " + kind + " to use";
        if (found.isEmpty()) {
            throw new DataFileException(file, line, "no prompt " + kind + ": none of " + DEFAULT_FIELDS + has);
        }
        throw new DataFileException(file, line, "ambiguous prompt " + kind + ": both " + String.join(" and ", found) + has);
    }
}
