package io.cna4j.eval.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a CSV file with a header row into {@link CsvRecord}s (via Jackson's CSV module), checking that the
 * required columns exist and that each record's required values are present and not blank.
 *
 * {@snippet :
 * List<CsvRecord> rows = CsvRecords.read(Path.of("harmful.csv"), List.of("Goal"));
 * String first = rows.get(0).get("Goal");
 * }
 */
public final class CsvRecords {
    private static final CsvMapper MAPPER = new CsvMapper();

    private CsvRecords() {}

    /**
     * All records of {@code file}.
     *
     * @throws DataFileException if the file is missing, unreadable, empty, not valid CSV, lacks one of
     *     {@code requiredColumns} in its header, or has a record whose required value is missing or blank
     */
    public static List<CsvRecord> read(Path file, List<String> requiredColumns) {
        requireReadableNonEmpty(file);
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<CsvRecord> records = new ArrayList<>();
        int line = 1;
        try (Reader reader = Files.newBufferedReader(file);
                MappingIterator<Map<String, String>> it = MAPPER.readerForMapOf(String.class)
                        .with(schema)
                        .with(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS)
                        .readValues(reader)) {
            CsvParser parser = (CsvParser) it.getParser();
            boolean any;
            try {
                any = it.hasNextValue();
            } catch (IOException | RuntimeException e) {
                throw new DataFileException(file, lineOf(parser.currentLocation()), "invalid CSV: " + e.getMessage(), e);
            }
            CsvSchema header = parser.getSchema();
            for (String column : requiredColumns) {
                if (header.column(column) == null) {
                    throw new DataFileException(file, 1, "missing column '" + column + "' (header has "
                            + header.getColumnNames() + ")");
                }
            }
            while (any) {
                line = lineOf(parser.currentLocation()) ;
                Map<String, String> values;
                try {
                    values = it.nextValue();
                } catch (IOException | RuntimeException e) {
                    throw new DataFileException(file, line, "invalid CSV: " + firstLine(e.getMessage()), e);
                }
                for (String column : requiredColumns) {
                    String v = values.get(column);
                    if (v == null || v.isBlank()) {
                        throw new DataFileException(file, line, "empty " + column);
                    }
                }
                records.add(new CsvRecord(file, line, Map.copyOf(values)));
                try {
                    any = it.hasNextValue();
                } catch (IOException | RuntimeException e) {
                    throw new DataFileException(file, lineOf(parser.currentLocation()),
                            "invalid CSV: " + firstLine(e.getMessage()), e);
                }
            }
        } catch (IOException e) {
            throw new DataFileException(file, line, "cannot read: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new DataFileException(file, "no records after the header");
        }
        return List.copyOf(records);
    }

    /** Fails unless {@code file} is a readable, non-empty regular file. */
    static void requireReadableNonEmpty(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file, "file not found");
        }
        try {
            if (Files.size(file) == 0) throw new DataFileException(file, "file is empty");
        } catch (IOException e) {
            throw new DataFileException(file, 0, "cannot read: " + e.getMessage(), e);
        }
    }

    private static int lineOf(JsonLocation location) {
        return Math.max(1, location.getLineNr());
    }

    private static String firstLine(@org.jspecify.annotations.Nullable String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
