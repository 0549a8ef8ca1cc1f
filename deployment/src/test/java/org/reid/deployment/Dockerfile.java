package org.reid.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read into its instructions (line continuations joined, comments and parser
 * directives dropped), enough to check FROM, COPY, USER, ENV and ENTRYPOINT without an engine.
 */
final class Dockerfile {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Instruction(String keyword, String arguments, int line) {
    }

    /** A COPY: its flags (--from=..., --chown=...), source paths and destination. */
    record Copy(List<String> flags, List<String> sources, String destination, int line) {
        String from() {
            return flags.stream().filter(f -> f.startsWith("--from=")).map(f -> f.substring(7)).findFirst().orElse(null);
        }
    }

    private final Path file;
    private final List<Instruction> instructions;

    private Dockerfile(Path file, List<Instruction> instructions) {
        this.file = file;
        this.instructions = instructions;
    }

    static Dockerfile read(Path file) {
        try {
            return new Dockerfile(file, parse(Files.readAllLines(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Instruction> parse(List<String> lines) {
        List<Instruction> result = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (current == null && trimmed.isEmpty())) {
                continue; // comments (also inside a continued instruction) and parser directives
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                String text = current.toString().strip();
                int space = text.indexOf(' ');
                String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
                String arguments = space < 0 ? "" : text.substring(space + 1).strip();
                result.add(new Instruction(keyword, arguments, start));
                current = null;
            }
        }
        return result;
    }

    Path file() {
        return file;
    }

    List<Instruction> instructions() {
        return instructions;
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The instructions of the last stage (the image that is shipped). */
    List<Instruction> finalStage() {
        int lastFrom = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                lastFrom = i;
            }
        }
        return instructions.subList(lastFrom, instructions.size());
    }

    /** Names given with FROM ... AS name. */
    List<String> stageNames() {
        return all("FROM").stream()
                .map(i -> i.arguments().split("\\s+"))
                .filter(words -> words.length == 3 && words[1].equalsIgnoreCase("AS"))
                .map(words -> words[2])
                .toList();
    }

    /** FROM images, without the stage name and without --platform flags. */
    List<String> baseImages() {
        return all("FROM").stream()
                .map(i -> Arrays.stream(i.arguments().split("\\s+")).filter(w -> !w.startsWith("--")).findFirst().orElseThrow())
                .toList();
    }

    List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        for (Instruction i : all("COPY")) {
            List<String> words = new ArrayList<>(Arrays.asList(i.arguments().split("\\s+")));
            List<String> flags = new ArrayList<>();
            while (!words.isEmpty() && words.get(0).startsWith("--")) {
                flags.add(words.remove(0));
            }
            List<String> paths = words;
            String rest = String.join(" ", words);
            if (rest.startsWith("[")) {
                paths = execForm(rest, i);
            }
            if (paths.size() < 2) {
                throw new AssertionError(file + ":" + i.line() + ": COPY needs a source and a destination");
            }
            copies.add(new Copy(flags, List.copyOf(paths.subList(0, paths.size() - 1)), paths.get(paths.size() - 1), i.line()));
        }
        return copies;
    }

    /** The ENTRYPOINT of the final stage in exec (JSON) form; the shell form is refused (no signals). */
    List<String> entrypoint() {
        List<Instruction> entrypoints = finalStage().stream().filter(i -> i.keyword().equals("ENTRYPOINT")).toList();
        if (entrypoints.isEmpty()) {
            throw new AssertionError(file + ": the final stage has no ENTRYPOINT");
        }
        Instruction last = entrypoints.get(entrypoints.size() - 1);
        if (!last.arguments().startsWith("[")) {
            throw new AssertionError(file + ":" + last.line() + ": ENTRYPOINT must be in exec form [\"java\", ...]");
        }
        return execForm(last.arguments(), last);
    }

    private List<String> execForm(String json, Instruction at) {
        try {
            JsonNode array = JSON.readTree(json);
            List<String> words = new ArrayList<>();
            array.forEach(n -> words.add(n.asText()));
            return words;
        } catch (IOException e) {
            throw new AssertionError(file + ":" + at.line() + ": not a JSON array: " + json, e);
        }
    }
}
