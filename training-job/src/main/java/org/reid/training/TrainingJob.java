package org.reid.training;

import org.reid.core.loss.LossFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Command-line entry point of the training job: {@code java -jar training-job.jar <command>}. */
@Command(
        name = "training-job",
        mixinStandardHelpOptions = true,
        version = "training-job 0.1.0",
        description = "Fits, evaluates and publishes person re-ID embedding models.",
        subcommands = {TrainingJob.Losses.class})
public final class TrainingJob implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (2 for wrong use, as picocli does). */
    public static int execute(String... args) {
        return new CommandLine(new TrainingJob()).execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Lists the loss names that {@code train --loss} accepts. */
    @Command(name = "losses", description = "List the metric-learning losses by name.")
    static final class Losses implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            LossFactory.names().forEach(spec.commandLine().getOut()::println);
        }
    }
}
