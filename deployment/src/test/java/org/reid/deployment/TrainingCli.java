package org.reid.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training job's command line as its picocli sources declare it (subcommand name to option
 * names), and the training-job invocations found in a shell script, so that the CronJob and the
 * compose file are checked against the real flags without building or running the job.
 */
final class TrainingCli {
    private static final Pattern COMMAND = Pattern.compile("@Command\\(\\s*name\\s*=\\s*\"([a-z-]+)\"");
    private static final Pattern NAMES = Pattern.compile("names\\s*=\\s*(\\{[^}]*}|\"[^\"]*\")");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    /** "training-job.jar train ..." or "$job train ..." up to the end of the (joined) line or ';'. */
    private static final Pattern INVOCATION = Pattern.compile("(?:training-job\\.jar|\\$job)\\s+([a-z]+)([^;\\n]*)");
    private static final Pattern LONG_OPTION = Pattern.compile("(?<![\\w$-])(--[a-z][a-z0-9-]*)");
    private static final Set<String> STANDARD = Set.of("--help", "--version");

    record Invocation(String command, List<String> options) {
    }

    private TrainingCli() {
    }

    /** Subcommand name to the option names its class declares (plus picocli's standard ones). */
    static Map<String, Set<String>> declaredOptions(Path cliSources) {
        Map<String, Set<String>> options = new HashMap<>();
        try (Stream<Path> files = Files.list(cliSources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher command = COMMAND.matcher(source);
                if (!command.find()) {
                    continue;
                }
                Set<String> names = new HashSet<>(STANDARD);
                Matcher declared = NAMES.matcher(source);
                while (declared.find()) {
                    Matcher quoted = QUOTED.matcher(declared.group(1));
                    while (quoted.find()) {
                        names.add(quoted.group(1));
                    }
                }
                options.put(command.group(1), names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return options;
    }

    static List<Invocation> invocations(String script) {
        String joined = script.replace("\\\n", " ");
        List<Invocation> result = new ArrayList<>();
        Matcher m = INVOCATION.matcher(joined);
        while (m.find()) {
            List<String> options = new ArrayList<>();
            Matcher option = LONG_OPTION.matcher(m.group(2));
            while (option.find()) {
                options.add(option.group(1));
            }
            result.add(new Invocation(m.group(1), options));
        }
        return result;
    }
}
