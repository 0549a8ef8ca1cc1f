package org.reid.core.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Deletes folder trees (the JDK has no recursive delete). */
public final class FileTrees {
    private FileTrees() {}

    /** Deletes {@code root} and everything below it; nothing happens when it does not exist. */
    public static void deleteRecursively(Path root) throws IOException {
        delete(root, true);
    }

    /** Deletes everything below {@code dir} and keeps {@code dir}; nothing happens when it does not exist. */
    public static void deleteContents(Path dir) throws IOException {
        delete(dir, false);
    }

    private static void delete(Path root, boolean withRoot) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(root)) {
            deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : deepestFirst) {
            if (withRoot || !p.equals(root)) {
                Files.deleteIfExists(p);
            }
        }
    }
}
