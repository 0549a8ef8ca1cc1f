package org.reid.training.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A path given on the command line as {@code PATH} or {@code NAME=PATH}. The name labels the
 * path's rows in the table and its plot file, so names must be unique per option.
 *
 * @param name what the table calls it: the given name, else the file name (without {@code .zip})
 * @param path the file or folder
 */
public record NamedPath(String name, Path path) {

    /**
     * Parses one value of {@code flag}.
     *
     * @throws IllegalArgumentException naming the flag for an empty name or path
     */
    public static NamedPath parse(String flag, String value) {
        String v = value == null ? "" : value.strip();
        int eq = v.indexOf('=');
        // "a=b/c" names a path; "x/y=z" is a path that happens to contain '='
        if (eq >= 0 && v.lastIndexOf('/', eq) < 0 && v.lastIndexOf('\\', eq) < 0) {
            String name = v.substring(0, eq).strip();
            String path = v.substring(eq + 1).strip();
            if (name.isEmpty() || path.isEmpty()) {
                throw new IllegalArgumentException(flag + " '" + value + "': expected PATH or NAME=PATH");
            }
            return new NamedPath(name, Path.of(path));
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException(flag + " is empty: expected PATH or NAME=PATH");
        }
        Path path = Path.of(v);
        Path fileName = path.toAbsolutePath().normalize().getFileName();
        String name = fileName == null ? v : fileName.toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
            name = name.substring(0, name.length() - 4);
        }
        return new NamedPath(name, path);
    }

    /**
     * Parses every value of a repeatable {@code flag}.
     *
     * @throws IllegalArgumentException naming the flag when two values end up with the same name
     *     (or the same file name), which would merge their rows and overwrite their plots
     */
    public static List<NamedPath> parseAll(String flag, List<String> values) {
        List<NamedPath> parsed = new ArrayList<>();
        Map<String, NamedPath> byFileName = new HashMap<>();
        for (String value : values) {
            NamedPath p = parse(flag, value);
            NamedPath clash = byFileName.put(p.fileSafeName().toLowerCase(Locale.ROOT), p);
            if (clash != null) {
                throw new IllegalArgumentException(flag + ": '" + clash.path() + "' and '" + p.path()
                        + "' are both named '" + p.name() + "'; name them apart with NAME=PATH");
            }
            parsed.add(p);
        }
        return parsed;
    }

    /** The name with anything but letters, digits, '.', '_' and '-' replaced, for file names. */
    public String fileSafeName() {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
