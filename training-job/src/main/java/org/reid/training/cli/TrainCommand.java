package org.reid.training.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reid.core.data.DatasetReaders;
import org.reid.core.data.ReidDataset;
import org.reid.core.engine.TrainingConfig;
import org.reid.core.loss.LossFactory;
import org.reid.training.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code train}: fits an embedding network with a metric-learning loss and writes a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an embedding network; writes config, log, checkpoints, metrics, plots and the artifact.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Dataset root (Market-1501, DukeMTMC-reID, MSMT17 or identity folders).")
    Path data;

    @Option(names = "--layout", defaultValue = "auto", description = "Dataset layout (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--loss", required = true, description = "Metric loss by name (see the 'losses' command).")
    String loss;

    @Option(names = "--loss-param", description = "Loss parameter k=v (repeatable), e.g. margin=0.3.")
    Map<String, String> lossParams = new LinkedHashMap<>();

    @Option(names = "--id-loss", description = "Add label-smoothed cross-entropy on a classifier head (BoT).")
    boolean idLoss;

    @Option(names = "--id-loss-weight", defaultValue = "1.0", description = "Weight of the metric loss next to the ID loss.")
    double idLossWeight;

    @Option(names = "--backbone", defaultValue = "small", description = "small or resnet50 (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--epochs", defaultValue = "30")
    int epochs;

    @Option(names = "--p", defaultValue = "16", description = "Identities per batch.")
    int p;

    @Option(names = "--k", defaultValue = "4", description = "Crops per identity per batch.")
    int k;

    @Option(names = "--height", defaultValue = "128")
    int height;

    @Option(names = "--width", defaultValue = "64")
    int width;

    @Option(names = "--lr", defaultValue = "3.5e-4", description = "Base learning rate (Adam).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "5e-4")
    double weightDecay;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd (momentum 0.9).")
    String optimizer;

    @Option(names = "--warmup-epochs", defaultValue = "2")
    int warmupEpochs;

    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine or step.")
    String schedule;

    @Option(names = "--eval-every", defaultValue = "5", description = "Validate every N epochs.")
    int evalEvery;

    @Option(names = "--val-identities", defaultValue = "-1",
            description = "Training identities held out for validation (default: 10%%, at least 2).")
    int valIdentities;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu.")
    String device;

    @Option(names = "--out", required = true, description = "Run folder.")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
    boolean resume;

    @Option(names = "--model-name", description = "Name in the manifest (default: reid-<backbone>-<loss>).")
    String modelName;

    @Option(names = "--model-version", description = "Version in the manifest (default: a timestamp).")
    String modelVersion;

    @Override
    public Integer call() throws Exception {
        if (!LossFactory.names().contains(loss)) {
            throw new UsageError("unknown loss '" + loss + "'; known: " + LossFactory.names());
        }
        ReidDataset dataset = DatasetReaders.read(data, layout);
        if (dataset.query().isEmpty() || dataset.gallery().isEmpty()) {
            throw new UsageError("--data " + data + ": the dataset (layout " + layout + ") has no query/gallery split "
                    + "to evaluate on; use a layout with a test split (e.g. identity-folders-eval)");
        }
        int trainIds = dataset.numTrainIdentities();
        int val = valIdentities >= 0 ? valIdentities : Math.max(2, trainIds / 10);
        if (trainIds - val < p) {
            throw new UsageError("--p " + p + " x --k " + k + ": the data has " + trainIds + " training identities, "
                    + val + " of them held out for validation, leaving " + (trainIds - val) + " < P to sample from");
        }
        TrainingConfig config = new TrainingConfig(loss, lossParams, idLoss, idLossWeight, backbone, epochs, p, k,
                height, width, lr, weightDecay, warmupEpochs, schedule, evalEvery, val, seed, device, optimizer);
        String name = modelName != null ? modelName : "reid-" + backbone + "-" + loss;
        String version = modelVersion != null ? modelVersion
                : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        new TrainingRun(config, dataset, out, name, version, System.out).run(resume);
        return 0;
    }
}
