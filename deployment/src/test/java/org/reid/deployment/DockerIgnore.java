package org.reid.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * The root .dockerignore: which repository paths never reach the build context. Patterns are
 * matched as globs against the path and each of its parents (a pattern naming a directory
 * excludes what is under it); exceptions ("!pattern") are not used and are refused.
 */
final class DockerIgnore {
    private final List<PathMatcher> patterns;

    private DockerIgnore(List<PathMatcher> patterns) {
        this.patterns = patterns;
    }

    static DockerIgnore read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
            if (lines.stream().anyMatch(l -> l.startsWith("!"))) {
                throw new AssertionError(file + ": exceptions (!pattern) are not supported by this check");
            }
            return new DockerIgnore(lines.stream()
                    .map(l -> l.startsWith("/") ? l.substring(1) : l)
                    .map(l -> FileSystems.getDefault().getPathMatcher("glob:" + l))
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean excludes(String relativePath) {
        String trimmed = relativePath.endsWith("/") ? relativePath.substring(0, relativePath.length() - 1) : relativePath;
        for (Path p = Path.of(trimmed); p != null; p = p.getParent()) {
            for (PathMatcher m : patterns) {
                if (m.matches(p)) {
                    return true;
                }
            }
        }
        return false;
    }
}
