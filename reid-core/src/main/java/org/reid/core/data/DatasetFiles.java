package org.reid.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** File-system helpers shared by the readers. */
final class DatasetFiles {

    private DatasetFiles() {
    }

    /** Whether a file name has an image extension the readers accept: jpg, jpeg or png. */
    static boolean hasImageExtension(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png");
    }

    /** The entries of a folder, sorted by name so that reading is deterministic. */
    static List<Path> sortedEntries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Checks that {@code dir} is an existing folder; {@code role} says what it should hold. */
    static void requireDirectory(Path dir, String role) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetFormatException(dir, Files.exists(dir)
                    ? "is not a folder (expected the " + role + " folder)"
                    : "missing folder (expected the " + role + " folder)");
        }
    }

    /** Checks that {@code file} is an existing regular file; {@code role} says what it should be. */
    static void requireFile(Path file, String role) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, Files.exists(file)
                    ? "is not a regular file (expected the " + role + ")"
                    : "missing file (expected the " + role + ")");
        }
    }

    /** Parses a decimal integer, reporting overflow and junk through the same message. */
    static Integer parseIntOrNull(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
