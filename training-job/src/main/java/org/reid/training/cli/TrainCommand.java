package org.reid.training.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.reid.core.data.DatasetReaders;
import org.reid.core.data.ReidDataset;
import org.reid.core.engine.TrainingConfig;
import org.reid.core.loss.LossFactory;
import org.reid.core.model.Manifest;
import org.reid.core.model.Neck;
import org.reid.core.model.Pooling;
import org.reid.registry.GalleryExport;
import org.reid.core.util.FileTrees;
import org.reid.training.console.UsageError;
import org.reid.training.run.TrainingRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: fits an embedding network with a metric-learning loss and writes a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an embedding network; writes config, log, checkpoints, metrics, plots and the artifact.")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the training data comes from: a dataset folder, or the service's gallery in PostgreSQL. */
    static final class Source {
        @Option(names = "--data", description = "Dataset root (Market-1501, DukeMTMC-reID, MSMT17 or identity folders).")
        Path data;

        @Option(names = "--from-registry", paramLabel = "JDBC_URL",
                description = "Train on the service's gallery in PostgreSQL (identities with crops from at least two "
                        + "cameras), e.g. jdbc:postgresql://db:5432/reid?user=reid&password=...; exported as a "
                        + "Market-1501 dataset to <out>" + GALLERY_DATASET_SUFFIX + " first.")
        String registryUrl;
    }

    /** Suffix of the folder beside {@code --out} that a gallery export goes to (the run folder itself must start empty). */
    static final String GALLERY_DATASET_SUFFIX = ".dataset";

    /** Suffix of the file beside {@code --out} that {@code --init-from active} copies the active model's artifact to. */
    static final String ACTIVE_MODEL_SUFFIX = ".init.zip";

    @ArgGroup(exclusive = true)
    Init init;

    /** Where the weights start: random (neither), torchvision ResNet-50 weights, or one of our artifacts. */
    static final class Init {
        @Option(names = "--init-weights", paramLabel = "FILE",
                description = "Start the ResNet-50 backbone from a torchvision ResNet-50 state_dict saved as safetensors "
                        + "(e.g. ImageNet weights; docs/training.md); needs --backbone resnet50.")
        Path weights;

        @Option(names = "--init-from", paramLabel = "ARTIFACT|active|active-or-scratch",
                description = "Fine-tune one of our model artifacts (directory or zip): its architecture, a new "
                        + "classifier. 'active' (with --from-registry): the registry's active model, an error when "
                        + "there is none or it does not fit; 'active-or-scratch': the same, random weights then.")
        String from;
    }

    @Option(names = "--layout", defaultValue = "auto", description = "Dataset layout (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--loss", required = true, description = "Metric loss by name (see the 'losses' command).")
    String loss;

    @Option(names = "--loss-param", description = "Loss parameter k=v (repeatable), e.g. margin=0.3.")
    Map<String, String> lossParams = new LinkedHashMap<>();

    @Option(names = "--miner", paramLabel = "NAME", description = "Miner for a loss that takes one, e.g. --loss triplet "
            + "--miner batch-hard (see the 'losses' command); its parameters are --loss-param too.")
    String miner;

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
        chooseMiner();
        // Before the data: a wrong start should not cost a gallery export.
        InitialWeights.Start start = initialWeights();
        Manifest.Architecture fineTuned = start.architecture();
        String trainBackbone = fineTuned != null ? fineTuned.backbone() : backbone;
        var parsed = spec.commandLine().getParseResult();
        int trainHeight = fineTuned != null && !parsed.hasMatchedOption("--height") ? fineTuned.inputHeight() : height;
        int trainWidth = fineTuned != null && !parsed.hasMatchedOption("--width") ? fineTuned.inputWidth() : width;
        if (start.init().isImported() && (trainHeight != fineTuned.inputHeight() || trainWidth != fineTuned.inputWidth())) {
            throw new UsageError("--height/--width " + trainHeight + "x" + trainWidth + " conflict with --init-from, an "
                    + "imported network that takes " + fineTuned.inputHeight() + "x" + fineTuned.inputWidth() + " crops");
        }
        ReidDataset dataset = source.registryUrl != null ? galleryDataset() : DatasetReaders.read(source.data, layout);
        if (dataset.query().isEmpty() || dataset.gallery().isEmpty()) {
            throw new UsageError("--data " + source.data + ": the dataset (layout " + layout + ") has no query/gallery split "
                    + "to evaluate on; use a layout with a test split (e.g. identity-folders-eval)");
        }
        int trainIds = dataset.numTrainIdentities();
        int val = valIdentities >= 0 ? valIdentities : Math.max(2, trainIds / 10);
        if (trainIds - val < p) {
            throw new UsageError("--p " + p + " x --k " + k + ": the data has " + trainIds + " training identities, "
                    + val + " of them held out for validation, leaving " + (trainIds - val) + " < P to sample from");
        }
        TrainingConfig config = new TrainingConfig(loss, lossParams, idLoss, idLossWeight, trainBackbone, epochs, p, k,
                trainHeight, trainWidth, lr, weightDecay, warmupEpochs, schedule, evalEvery, val, seed, device, optimizer,
                fineTuned != null ? fineTuned.pooling() : Pooling.AVG.id(),
                fineTuned != null ? fineTuned.neck() : Neck.BNNECK.id(),
                fineTuned != null ? fineTuned.projectionDim() : 0, start.init());
        String name = modelName != null ? modelName
                : start.init().isImported() ? start.init().model().split(":")[0] + "-" + loss
                : "reid-" + trainBackbone + "-" + loss;
        String version = modelVersion != null ? modelVersion : ModelVersions.timestamp();
        new TrainingRun(config, dataset, out, name, version, System.out).run(resume);
        return 0;
    }

    /**
     * Puts {@code --miner} into the loss parameters, where the loss factory (and the run's config
     * and manifest) see it, after checking it fits the loss: a wrong miner should not cost loading
     * the data.
     */
    private void chooseMiner() {
        String given = lossParams.get(LossFactory.MINER);
        if (miner != null && given != null && !given.equals(miner)) {
            throw new UsageError("--miner " + miner + " conflicts with --loss-param " + LossFactory.MINER + "=" + given);
        }
        String chosen = miner != null ? miner : given;
        if (chosen == null) {
            return;
        }
        try {
            LossFactory.checkMiner(loss, chosen);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--miner " + chosen + ": " + e.getMessage());
        }
        lossParams.put(LossFactory.MINER, chosen);
    }

    private InitialWeights.Start initialWeights() throws IOException {
        if (init == null) {
            return InitialWeights.Start.scratch();
        }
        if (init.weights != null) {
            return InitialWeights.torchvision(init.weights, backbone);
        }
        String requested = spec.commandLine().getParseResult().hasMatchedOption("--backbone") ? backbone : null;
        if (!init.from.equals(InitialWeights.ACTIVE) && !init.from.equals(InitialWeights.ACTIVE_OR_SCRATCH)) {
            return InitialWeights.artifact("--init-from " + init.from, Path.of(init.from), requested);
        }
        if (source.registryUrl == null) {
            throw new UsageError("--init-from " + init.from + " needs --from-registry: the active model is the "
                    + "registry's (give an artifact path to fine-tune with --data)");
        }
        boolean orScratch = init.from.equals(InitialWeights.ACTIVE_OR_SCRATCH);
        Path file = besideRun(ACTIVE_MODEL_SUFFIX);
        String option = "--init-from " + init.from;
        if (resume && Files.isRegularFile(file)) {
            System.out.println("--resume: the run started from the active model copied to " + file);
        } else {
            requireFreshRunFolder();
            Files.deleteIfExists(file); // an earlier run's copy: the active model may have changed since
            var active = InitialWeights.fetchActive(source.registryUrl, file);
            if (active.isEmpty()) {
                if (orScratch) {
                    System.out.println(option + ": the registry has no active model; training from random weights");
                    return InitialWeights.Start.scratch();
                }
                throw new UsageError(option + ": the registry has no active model to fine-tune; use --init-from "
                        + InitialWeights.ACTIVE_OR_SCRATCH + " to train from random weights then");
            }
            System.out.println(option + ": fine-tuning the active model " + active.get().name() + ":"
                    + active.get().version() + ", copied to " + file);
        }
        try {
            return InitialWeights.artifact(option + " (" + file + ")", file, requested);
        } catch (UsageError e) {
            if (!orScratch) {
                throw new UsageError(e.getMessage() + "; use --init-from " + InitialWeights.ACTIVE_OR_SCRATCH
                        + " to train from random weights then");
            }
            System.out.println(e.getMessage() + "; training from random weights (" + InitialWeights.ACTIVE_OR_SCRATCH
                    + ")");
            return InitialWeights.Start.scratch();
        }
    }

    /**
     * Exports the gallery to the folder beside {@code --out} and reads it back, named after the
     * database (no credentials). A resumed run reuses its finished export, so it trains on the data
     * it started with however the gallery has changed since.
     */
    private ReidDataset galleryDataset() throws IOException {
        if (spec.commandLine().getParseResult().hasMatchedOption("--layout")
                && !DatasetReaders.MARKET1501.equals(layout)) {
            throw new UsageError("--layout does not apply to --from-registry (the export is " + DatasetReaders.MARKET1501
                    + ")");
        }
        String name = GalleryExport.describe(source.registryUrl);
        Path export = besideRun(GALLERY_DATASET_SUFFIX);
        boolean finished = Files.isRegularFile(export.resolve(GalleryExport.LABELS_FILE));
        if (resume && finished) {
            System.out.println("--resume: training on the gallery export in " + export + " that the run started with");
        } else {
            requireFreshRunFolder();
            if (finished) {
                FileTrees.deleteRecursively(export); // an earlier export of ours: the gallery may have changed since
            }
            GalleryExport.Summary summary = GalleryExport.connect(source.registryUrl).exportTo(export);
            System.out.println("exported " + name + " to " + export + ": " + summary.describe());
            summary.skipped().stream().limit(5).forEach(s -> System.out.println("  skipped identity " + s.identityId()
                    + " (" + s.label() + "): " + s.reason()));
            if (summary.skipped().size() > 5) {
                System.out.println("  ... and " + (summary.skipped().size() - 5) + " more skipped");
            }
        }
        ReidDataset read = DatasetReaders.read(export, DatasetReaders.MARKET1501);
        return new ReidDataset(name, read.train(), read.query(), read.gallery());
    }

    /** {@code <out><suffix>}: beside the run folder, which must start empty. */
    private Path besideRun(String suffix) {
        Path run = out.toAbsolutePath().normalize();
        if (run.getFileName() == null) {
            throw new UsageError("--out " + out + ": a run folder is needed, not the file system root");
        }
        return run.resolveSibling(run.getFileName() + suffix);
    }

    /** The run's own check, made before the export so that a full run folder costs no export. */
    private void requireFreshRunFolder() throws IOException {
        if (resume || !Files.isDirectory(out)) {
            return;
        }
        try (Stream<Path> s = Files.list(out)) {
            if (s.findAny().isPresent()) {
                throw new UsageError("run folder " + out + " is not empty; pass --resume to continue that run "
                        + "or choose a new --out");
            }
        }
    }
}
