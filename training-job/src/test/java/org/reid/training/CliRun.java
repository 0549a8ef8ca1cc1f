package org.reid.training;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the training job's command line as a user would, and keeps what it printed. */
public final class CliRun {
    private CliRun() {}

    /** The exit status and what the command printed to standard output and standard error. */
    public record Result(int status, String out, String err) {}

    public static Result run(String... args) {
        int[] status = new int[1];
        String[] err = new String[1];
        String out = stdoutOf(() -> err[0] = stderrOf(() -> status[0] = TrainingJob.execute(args)));
        return new Result(status[0], out, err[0]);
    }

    public static String stdoutOf(Runnable action) {
        PrintStream previous = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(previous);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    public static String stderrOf(Runnable action) {
        PrintStream previous = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(previous);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
