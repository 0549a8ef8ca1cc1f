package org.reid.core.csv;

import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes CSV records that {@link CsvReader} (and any RFC 4180 reader) reads back: a field is quoted
 * only when it holds a comma, a quote or a line break, so plain tables stay plain. Lines end with
 * LF. Closing it closes the writer.
 */
public final class CsvWriter implements Closeable {
    // STRICT_CHECK_FOR_QUOTING: without it Jackson also quotes any text with a space or other low character.
    private static final CsvFactory FACTORY = CsvFactory.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private final CsvGenerator out;

    public CsvWriter(Writer writer) throws IOException {
        this.out = (CsvGenerator) FACTORY.createGenerator(writer);
        this.out.setSchema(CsvSchema.emptySchema());
    }

    /** One record; each field is written as {@link String#valueOf(Object)}. */
    public CsvWriter row(Object... fields) throws IOException {
        out.writeStartArray();
        for (Object field : fields) {
            out.writeString(String.valueOf(field));
        }
        out.writeEndArray();
        return this;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
