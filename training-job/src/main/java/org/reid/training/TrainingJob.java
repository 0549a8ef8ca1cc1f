package org.reid.training;

import org.reid.core.loss.LossFactory;
import org.reid.training.cli.EvaluateCommand;
import org.reid.training.cli.ImportCommand;
import org.reid.training.cli.PublishCommand;
import org.reid.training.cli.SynthCommand;
import org.reid.training.cli.TrainCommand;
import org.reid.training.console.UsageError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Command-line entry point of the training job: {@code java -jar training-job.jar <command>}. */
@Command(
        name = "training-job",
        mixinStandardHelpOptions = true,
        version = "training-job 0.1.0",
        description = "Fits, imports, evaluates and publishes person re-ID embedding models.",
        subcommands = {SynthCommand.class, TrainCommand.class, EvaluateCommand.class, ImportCommand.class, PublishCommand.class,
                TrainingJob.Losses.class})
public final class TrainingJob implements Runnable {
    /** Exit status for wrong use: bad options, missing or malformed data, impossible settings. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("ai.djl.offline", "true");
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (2 for wrong use). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new TrainingJob());
        // Every option's default in --help: "--identities 30 with the default --p 16" should not surprise.
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().usageMessage().showDefaultValues(true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Errors in what the user gave us (IllegalArgumentException carries the field and the
            // limit, DatasetFormatException the file) are wrong use, not crashes: no stack trace.
            if (e instanceof UsageError || e instanceof IllegalArgumentException
                    || e instanceof org.reid.core.model.InvalidArtifactException
                    || e instanceof org.reid.registry.RegistryException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return USAGE;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Lists the loss names that {@code train --loss} accepts, then the miners {@code --miner} accepts. */
    @Command(name = "losses", description = "List the metric-learning losses, then the miners, by name.")
    static final class Losses implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            var out = spec.commandLine().getOut();
            LossFactory.names().forEach(out::println);
            out.println();
            out.println("miners (train --miner, with loss " + String.join(", ", LossFactory.minerLosses()) + "):");
            LossFactory.minerNames().forEach(out::println);
        }
    }
}
