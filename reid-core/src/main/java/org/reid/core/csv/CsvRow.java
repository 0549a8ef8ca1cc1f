package org.reid.core.csv;

import java.util.List;

/**
 * One record of a CSV file: its fields as written (quotes removed, nothing trimmed) and the line it
 * starts on, so that a caller's error message can point at it even when a quoted field spans lines.
 */
public record CsvRow(int line, List<String> fields) {

    public CsvRow {
        fields = List.copyOf(fields);
    }

    public int size() {
        return fields.size();
    }

    public String get(int index) {
        return fields.get(index);
    }

    /** The fields joined by commas, to quote the row back in a message. */
    public String text() {
        return String.join(",", fields);
    }
}
