package org.reid.training.cli;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The version a command gives a model when the user names none, the same for {@code train} and {@code import}. */
final class ModelVersions {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private ModelVersions() {}

    /** Local time to the second, e.g. {@code 20261204-153012}: sorts as it was made. */
    static String timestamp() {
        return LocalDateTime.now().format(TIMESTAMP);
    }
}
