package org.reid.core.csv;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV as RFC 4180 writes it (Jackson's CSV parser): quoted fields may hold commas, doubled
 * quotes and line breaks; a UTF-8 byte order mark at the start is dropped, because spreadsheet
 * programs write one. Blank lines are skipped. Fields are returned as written, untrimmed, so that
 * what {@link CsvWriter} wrote reads back equal.
 */
public final class CsvReader {
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    // Thread-safe once built; WRAP_AS_ARRAY gives one array of strings per record without a schema.
    private static final CsvFactory FACTORY = CsvFactory.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private CsvReader() {}

    /** The records of a UTF-8 CSV file, the header (if any) first. */
    public static List<CsvRow> read(Path file) throws IOException {
        return read(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * The records of a CSV text, the header (if any) first.
     *
     * @throws CsvFormatException naming the line and column of malformed quoting
     */
    public static List<CsvRow> read(String text) {
        String body = !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
        try (CsvParser parser = FACTORY.createParser(body)) {
            return rows(parser);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new CsvFormatException(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source cannot fail to read
        }
    }

    private static List<CsvRow> rows(CsvParser parser) throws IOException {
        List<CsvRow> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        int line = 0;
        int depth = 0; // 1: inside the array of records, 2: inside one record
        for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
            if (t == JsonToken.START_ARRAY) {
                depth++;
                fields.clear();
            } else if (t == JsonToken.END_ARRAY) {
                if (depth == 2 && !isBlankLine(fields)) {
                    rows.add(new CsvRow(line, fields));
                }
                depth--;
            } else if (t == JsonToken.VALUE_STRING) {
                if (fields.isEmpty()) {
                    // the record's own start token has no reliable location; its first field has
                    line = parser.currentTokenLocation().getLineNr();
                }
                fields.add(parser.getText());
            }
        }
        return rows;
    }

    private static boolean isBlankLine(List<String> fields) {
        return fields.isEmpty() || (fields.size() == 1 && fields.get(0).isBlank());
    }
}
