package org.reid.training.run;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.reid.core.data.ReidDataset;
import org.reid.core.engine.ReidTrainer;
import org.reid.core.engine.TrainingConfig;
import org.reid.core.engine.ValidationSplit;
import org.reid.core.engine.WeightsInit;
import org.reid.core.eval.ReidMetrics;
import org.reid.core.image.Preprocessing;
import org.reid.core.loss.MvpMatchingLoss;
import org.reid.core.model.ImportedModel;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.core.util.FileTrees;
import org.reid.training.console.ProgressBar;
import org.reid.training.console.UsageError;

/**
 * One training run in its run folder: config, JSON-lines log, checkpoints (resumable after a
 * crash), validation every N epochs with the best checkpoint kept, a final evaluation of the best
 * model on the test split, metrics, plots, and the model artifact.
 */
public final class TrainingRun {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TrainingConfig config;
    private final ReidDataset dataset;
    private final Path runDir;
    private String modelName;
    private String modelVersion;
    private final PrintStream console;

    public TrainingRun(TrainingConfig config, ReidDataset dataset, Path runDir, String modelName, String modelVersion,
            PrintStream console) {
        this.config = config;
        this.dataset = dataset;
        this.runDir = runDir;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        this.console = console;
    }

    /** Trains (or resumes), evaluates and writes the artifact. Returns the test metrics of the best model. */
    public RunResult run(boolean resume) throws IOException {
        return run(resume, step -> { });
    }

    /** As {@link #run(boolean)}, also telling {@code observer} about every step. */
    public RunResult run(boolean resume, org.reid.core.engine.TrainingListener observer) throws IOException {
        prepareFolder(resume);
        if (resume && !Files.exists(runDir.resolve("checkpoints/last.ckpt"))) {
            // It stopped before its first checkpoint: nothing to continue, so start it afresh.
            console.println("--resume: " + runDir + " has no checkpoint yet; starting the run from the beginning");
            Files.deleteIfExists(runDir.resolve("log.jsonl"));
            Files.deleteIfExists(runDir.resolve("history.json"));
            resume = false;
        } else if (resume) {
            requireSameRun();
        }
        ValidationSplit split = ValidationSplit.holdOut(dataset.train(), config.valIdentities(), config.seed());
        if (config.valIdentities() > 0 && split.isEmpty()) {
            console.println("warning: none of the " + config.valIdentities() + " held-out identities is seen by two "
                    + "cameras, so there is no validation; the last epoch's model is kept");
        }
        Device device = ReidTrainer.device(config.device());
        RunHistory history = RunHistory.load(runDir);
        // A resumed run continues from its checkpoint, not from the initial weights (whose file may be
        // gone); an imported network is itself in its artifact, so that one is read again.
        TrainingConfig initial = resume && !config.init().isImported() ? config.withInit(WeightsInit.none()) : config;
        try (ReidTrainer trainer = new ReidTrainer(initial, split.train(), device);
                JsonLines log = new JsonLines(runDir.resolve("log.jsonl"))) {
            Checkpoints checkpoints = new Checkpoints(runDir.resolve("checkpoints"));
            Checkpoints.Progress progress = resume
                    ? checkpoints.load(checkpoints.last(), trainer).orElseThrow()
                    : new Checkpoints.Progress(0, -1, -1);
            if (progress.epochsDone() > 0) {
                console.printf("resuming after epoch %d of %d (best validation mAP %.4f at epoch %d)%n",
                        progress.epochsDone(), config.epochs(), progress.bestMap(), progress.bestEpoch());
                log.write(Map.of("event", "resume", "epochsDone", progress.epochsDone(), "time", Instant.now().toString()));
            } else {
                writeConfig(device);
                // The untrained network on the test split: the floor every run must clear.
                ReidMetrics untrained = trainer.evaluate(dataset.query(), dataset.gallery());
                history.setUntrained(untrained);
                log.write(metricsRecord("untrained", 0, untrained));
            }
            console.printf("training %s on %s: %d images of %d identities, %d steps per epoch, device %s%n",
                    config.loss(), dataset.name(), split.train().size(),
                    split.train().stream().mapToInt(i -> i.pid()).distinct().count(), trainer.stepsPerEpoch(), device);

            // Only MVP has margins whose scale the features must match (issue 10, part 4).
            Optional<MvpMarginWarning> marginCheck = trainer.metricLoss() instanceof MvpMatchingLoss mvp
                    && progress.epochsDone() == 0 ? Optional.of(new MvpMarginWarning(mvp)) : Optional.empty();
            long trainNanos = 0;
            long trainImages = 0;
            for (int epoch = progress.epochsDone(); epoch < config.epochs(); epoch++) {
                long start = System.nanoTime();
                double meanLoss;
                try (ProgressBar bar = ProgressBar.builder("epoch " + (epoch + 1) + "/" + config.epochs())
                        .total(trainer.stepsPerEpoch()).unit("steps").output(console).build()) {
                    meanLoss = trainer.trainEpoch(epoch, step -> {
                        bar.update(step.step() + 1, step.stepsPerEpoch());
                        Map<String, Object> record = stepRecord(step);
                        marginCheck.ifPresent(check -> check.observe(record, console, log));
                        log.write(record);
                        history.addStep(step);
                        observer.onStep(step);
                    });
                }
                trainNanos += System.nanoTime() - start;
                trainImages += (long) trainer.stepsPerEpoch() * config.batchSize();
                log.write(Map.of("event", "epoch", "epoch", epoch + 1, "meanLoss", meanLoss,
                        "skippedSteps", trainer.skippedSteps()));

                boolean evaluateNow = (epoch + 1) % config.evalEvery() == 0 || epoch + 1 == config.epochs();
                if (evaluateNow && !split.isEmpty()) {
                    float[][] q = trainer.embed(split.query());
                    float[][] g = trainer.embed(split.gallery());
                    ReidMetrics m = ReidTrainer.evaluate(q, split.query(), g, split.gallery());
                    history.addValidation(epoch + 1, m, ValidationTripletScatter.of(q, split.query(), g, split.gallery()));
                    log.write(metricsRecord("validation", epoch + 1, m));
                    console.printf("epoch %d: loss %.4f, validation rank-1 %.3f mAP %.3f%n", epoch + 1, meanLoss,
                            m.rank(1), m.mAP());
                    if (m.mAP() > progress.bestMap()) {
                        progress = new Checkpoints.Progress(epoch + 1, m.mAP(), epoch + 1);
                        checkpoints.save(checkpoints.best(), trainer, progress);
                    }
                }
                progress = new Checkpoints.Progress(epoch + 1, progress.bestMap(), progress.bestEpoch());
                checkpoints.save(checkpoints.last(), trainer, progress);
                history.save(runDir);
            }
            if (split.isEmpty() || !Files.exists(checkpoints.best())) {
                checkpoints.save(checkpoints.best(), trainer, progress); // no validation: the last model is the best
            } else {
                checkpoints.load(checkpoints.best(), trainer);
            }

            float[][] testQuery = trainer.embed(dataset.query());
            float[][] testGallery = trainer.embed(dataset.gallery());
            ReidMetrics test = ReidTrainer.evaluate(testQuery, dataset.query(), testGallery, dataset.gallery());
            log.write(metricsRecord("test", progress.bestEpoch(), test));
            double imagesPerSecond = trainNanos == 0 ? 0 : trainImages / (trainNanos / 1e9);
            RunResult result = new RunResult(test, progress.bestEpoch(), trainer.skippedSteps(), imagesPerSecond);
            writeMetrics(result, history);
            Path artifact = writeArtifact(trainer, test, history, device);
            if (test.mAP() < history.untrained().getOrDefault("mAP", 0.0) + Manifest.Evaluation.MIN_GAIN) {
                console.printf("warning: the trained model (test mAP %.4f) is no better than the untrained network "
                        + "(mAP %.4f): train longer or check the loss and learning rate; publish refuses it without "
                        + "--force%n", test.mAP(), history.untrained().getOrDefault("mAP", 0.0));
            }
            new RunReport(runDir, history, test, trainer.metricLoss().getName(), dataset, testQuery, testGallery).write();
            console.printf("test (%s query/gallery) of the best model (epoch %d): rank-1 %.3f rank-5 %.3f mAP %.3f "
                    + "mINP %.3f; artifact %s%n", dataset.name(), progress.bestEpoch(), test.rank(1), test.rank(5),
                    test.mAP(), test.mINP(), artifact);
            return result;
        }
    }

    /** What a run produced. */
    public record RunResult(ReidMetrics test, int bestEpoch, long skippedSteps, double trainImagesPerSecond) {}

    private void prepareFolder(boolean resume) throws IOException {
        if (Files.isDirectory(runDir)) {
            boolean empty;
            try (Stream<Path> s = Files.list(runDir)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !resume) {
                throw new UsageError("run folder " + runDir + " is not empty; pass --resume to continue that run "
                        + "or choose a new --out");
            }
        }
        Files.createDirectories(runDir);
    }

    /**
     * A resumed run must be the run that was started: same training options and same data. Its model
     * name and version are the ones recorded, not new defaults.
     */
    private void requireSameRun() throws IOException {
        com.fasterxml.jackson.databind.JsonNode recorded = JSON.readTree(runDir.resolve("config.json").toFile());
        com.fasterxml.jackson.databind.JsonNode now = JSON.valueToTree(config);
        List<String> differences = new ArrayList<>();
        recorded.get("training").fields().forEachRemaining(e -> {
            com.fasterxml.jackson.databind.JsonNode v = now.get(e.getKey());
            // Compared as JSON text: a parsed 4 is an int node, the config's long seed a long node.
            if (v == null || !e.getValue().toString().equals(v.toString())) {
                differences.add(e.getKey() + " was " + e.getValue() + ", now " + v);
            }
        });
        String fingerprint = recorded.get("dataset").get("fingerprint").asText();
        if (!fingerprint.equals(dataset.fingerprint())) {
            differences.add("the dataset differs (fingerprint " + fingerprint.substring(0, 12) + "..., now "
                    + dataset.fingerprint().substring(0, 12) + "...)");
        }
        if (!differences.isEmpty()) {
            throw new UsageError("--resume: the options differ from the run's config.json: "
                    + String.join("; ", differences) + ". Resume with the run's options, or start a new --out");
        }
        modelName = recorded.get("model").get("name").asText();
        modelVersion = recorded.get("model").get("version").asText();
    }

    private void writeConfig(Device device) throws IOException {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("training", config);
        c.put("dataset", Map.of("name", dataset.name(), "fingerprint", dataset.fingerprint(), "summary",
                dataset.summary()));
        c.put("device", device.toString());
        c.put("model", Map.of("name", modelName, "version", modelVersion));
        c.put("codeVersion", CodeVersion.get());
        JSON.writeValue(runDir.resolve("config.json").toFile(), c);
    }

    private static Map<String, Object> stepRecord(org.reid.core.engine.TrainingListener.StepResult s) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("event", "step");
        r.put("epoch", s.epoch() + 1);
        r.put("step", s.step() + 1);
        r.put("globalStep", s.globalStep());
        r.put("loss", s.loss());
        r.put("metricLoss", s.metricLoss());
        r.put("idLoss", s.idLoss());
        r.put("lr", s.learningRate());
        r.put("skipped", s.skipped());
        return r;
    }

    static Map<String, Object> metricsRecord(String split, int epoch, ReidMetrics m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("event", split);
        r.put("epoch", epoch);
        r.put("rank1", m.rank(1));
        r.put("rank5", m.rank(5));
        r.put("rank10", m.rank(10));
        r.put("mAP", m.mAP());
        r.put("mINP", m.mINP());
        r.put("validQueries", m.numValidQueries());
        return r;
    }

    private void writeMetrics(RunResult result, RunHistory history) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(metricsRecord("test", result.bestEpoch(), result.test()));
        m.remove("event");
        m.put("split", dataset.name() + "/query+gallery");
        m.put("cmc", result.test().cmc());
        m.put("bestEpoch", result.bestEpoch());
        m.put("skippedSteps", result.skippedSteps());
        m.put("trainImagesPerSecond", result.trainImagesPerSecond());
        m.put("untrained", history.untrained());
        m.put("validation", history.validationRecords());
        JSON.writeValue(runDir.resolve("metrics.json").toFile(), m);
    }

    /**
     * The loss parameters, plus where the weights started (Manifest.Training has no field of its
     * own for it): {@code initFrom=name:version} of the artifact fine-tuned, or
     * {@code initWeights=file} of the torchvision weights.
     */
    private Map<String, String> trainingParameters() {
        Map<String, String> params = new LinkedHashMap<>(config.lossParams());
        WeightsInit init = config.init();
        if (init.kind().equals(WeightsInit.ARTIFACT) || init.isImported()) {
            params.put("initFrom", init.model());
        } else if (init.kind().equals(WeightsInit.TORCHVISION_RESNET50)) {
            params.put("initWeights", Path.of(init.path()).getFileName().toString());
        }
        return params;
    }

    /** The untrained network's metrics on the test split, when the run measured them. */
    private static Manifest.Untrained untrained(RunHistory history) {
        Map<String, Double> m = history.untrained();
        return m.containsKey("mAP") ? new Manifest.Untrained(m.get("rank1"), m.get("mAP")) : null;
    }

    private Path writeArtifact(ReidTrainer trainer, ReidMetrics test, RunHistory history, Device device)
            throws IOException {
        Preprocessing pre = trainer.preprocessor().preprocessing();
        var imported = trainer.net().importedEmbedding();
        Manifest manifest = Manifest.of(
                new Manifest.ModelInfo(modelName, modelVersion, Instant.now().toString()),
                // A fine-tuned imported network keeps its input and output description.
                imported.isPresent()
                        ? imported.get().architecture()
                        : Manifest.Architecture.of(trainer.net().config().withoutClassifier(), pre),
                new Manifest.Training(config.loss() + (config.idLoss() ? "+cross-entropy" : ""), trainingParameters(),
                        dataset.name(), dataset.fingerprint(), config.epochs(), config.seed(), device.toString(),
                        CodeVersion.get()),
                new Manifest.Evaluation(dataset.name() + "/query+gallery", test.rank(1), test.rank(5), test.rank(10),
                        test.mAP(), test.mINP(), untrained(history)));
        Path dir = runDir.resolve("artifact");
        FileTrees.deleteRecursively(dir);
        if (imported.isPresent()) {
            ModelArtifact.writeImported(dir, ImportedModel.save(imported.get().module()), manifest);
        } else {
            ModelArtifact.write(dir, trainer.net(), manifest);
        }
        ModelArtifact.zip(dir, runDir.resolve("artifact.zip"));
        return dir;
    }
}
