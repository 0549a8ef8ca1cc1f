package org.reid.core.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() {
        List<CsvRow> rows = CsvReader.read("id,label\n"
                + "1,\"person 4, \"\"the tall one\"\"\"\n"
                + "2,\"first line\nsecond line\"\n"
                + "\"a note\nover two lines\",3\n"
                + "4,plain\n");
        assertThat(rows).extracting(CsvRow::fields).containsExactly(
                List.of("id", "label"),
                List.of("1", "person 4, \"the tall one\""),
                List.of("2", "first line\nsecond line"),
                List.of("a note\nover two lines", "3"),
                List.of("4", "plain"));
        // a record is placed at the line it starts on, counting the line breaks inside quotes
        assertThat(rows).extracting(CsvRow::line).containsExactly(1, 2, 3, 5, 7);
    }

    @Test
    void aByteOrderMarkAtTheStartIsNotPartOfTheFirstField() throws IOException {
        Path file = dir.resolve("excel.csv");
        Files.write(file, "\uFEFFpath,camera\r\na/1.jpg,2\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(CsvReader.read(file)).extracting(CsvRow::fields)
                .containsExactly(List.of("path", "camera"), List.of("a/1.jpg", "2"));
    }

    @Test
    void blankLinesAreSkippedAndEmptyFieldsKept() {
        List<CsvRow> rows = CsvReader.read("a,b,c\n\n1,2,\n   \n,,\n");
        assertThat(rows).extracting(CsvRow::fields)
                .containsExactly(List.of("a", "b", "c"), List.of("1", "2", ""), List.of("", "", ""));
        assertThat(rows).extracting(CsvRow::line).containsExactly(1, 3, 5);
    }

    @Test
    void malformedQuotingNamesLineAndColumn() {
        assertThatThrownBy(() -> CsvReader.read("a,b\n\"x\"y,2\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageStartingWith("line 2, column 5: ")
                .satisfies(e -> {
                    assertThat(((CsvFormatException) e).line()).isEqualTo(2);
                    assertThat(((CsvFormatException) e).column()).isEqualTo(5); // just after the y that follows the closing quote
                });
        assertThatThrownBy(() -> CsvReader.read("a,b\n1,\"never closed\n2,3\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("closing quote");
    }

    @Test
    void whatTheWriterWritesReadsBackEqual() throws IOException {
        List<List<String>> records = List.of(
                List.of("pid", "label"),
                List.of("1", "a, b"),
                List.of("2", "say \"hi\""),
                List.of("3", "two\nlines"),
                List.of("4", "crlf\r\ninside"),
                List.of("5", " spaced "),
                List.of("6", ""));
        StringWriter text = new StringWriter();
        try (CsvWriter w = new CsvWriter(text)) {
            for (List<String> r : records) {
                w.row(r.toArray());
            }
        }
        assertThat(CsvReader.read(text.toString())).extracting(CsvRow::fields).containsExactlyElementsOf(records);
    }

    @Test
    void theWriterQuotesOnlyWhatNeedsQuoting() throws IOException {
        StringWriter text = new StringWriter();
        try (CsvWriter w = new CsvWriter(text)) {
            w.row(5, "train", "plain label", "a,b", "say \"hi\"");
        }
        assertThat(text).hasToString("5,train,plain label,\"a,b\",\"say \"\"hi\"\"\"\n");
    }
}
