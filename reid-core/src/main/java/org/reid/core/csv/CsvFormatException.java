package org.reid.core.csv;

/** A CSV text that is not well formed (an unclosed quote, text after a closing quote), and where. */
public final class CsvFormatException extends IllegalArgumentException {
    private final int line;
    private final int column;

    CsvFormatException(int line, int column, String reason) {
        super("line " + line + ", column " + column + ": " + reason);
        this.line = line;
        this.column = column;
    }

    /** 1-based line where reading stopped. */
    public int line() {
        return line;
    }

    /** 1-based column where reading stopped: just after the offending character, or the end of the text. */
    public int column() {
        return column;
    }
}
