package org.reid.core.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A dataset tree that does not follow its layout: a missing folder or list file, a file name that
 * does not match the naming scheme, a malformed list or CSV line, an unknown camera. The message
 * starts with the offending file or folder, then says what is wrong, so a command-line tool can
 * print it as it is.
 */
public class DatasetFormatException extends IllegalArgumentException {

    private final transient Path where;
    private final String problem;

    /**
     * @param where the file or folder at fault
     * @param problem what is wrong with it, in words
     */
    public DatasetFormatException(Path where, String problem) {
        super(Objects.requireNonNull(where, "where") + ": " + Objects.requireNonNull(problem, "problem"));
        this.where = where;
        this.problem = problem;
    }

    /** The file or folder at fault. */
    public Path where() {
        return where;
    }

    /** What is wrong, without the path. */
    public String problem() {
        return problem;
    }
}
