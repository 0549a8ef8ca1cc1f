package org.reid.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reid.core.image.ImageDecoding;
import org.reid.core.model.Embedder;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.junit.jupiter.api.io.TempDir;
import org.reid.training.TrainingJob;
import static org.reid.training.CliRun.stderrOf;
import static org.reid.training.CliRun.stdoutOf;

/** {@code train --init-weights FILE} and {@code train --init-from ARTIFACT} through the command line. */
class TrainInitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path data;
    /** A run trained from scratch, whose artifact the fine-tuning tests start from. */
    static Path base;

    @BeforeAll
    static void synthesiseAndTrainABaseModel() {
        data = dir.resolve("data");
        assertThat(TrainingJob.execute("synth", "--out", data.toString(), "--identities", "40", "--cameras", "3",
                "--images-per-identity", "8", "--height", "64", "--width", "32", "--seed", "3")).isZero();
        base = dir.resolve("base");
        assertThat(TrainingJob.execute(train(base, "--seed", "2"))).isZero();
    }

    static String[] train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--loss", "batch-hard",
                "--epochs", "1", "--p", "4", "--k", "3", "--lr", "1e-3", "--warmup-epochs", "0", "--eval-every", "1",
                "--val-identities", "2", "--device", "cpu", "--out", out.toString()));
        args.addAll(List.of(extra));
        if (!args.contains("--height")) {
            args.addAll(List.of("--height", "64", "--width", "32"));
        }
        return args.toArray(String[]::new);
    }

    @Test
    void aFileThatIsNotSafetensorsExitsTwoNamingTheFlag() throws Exception {
        Path wrong = Files.writeString(dir.resolve("resnet50.pth"), "a pickled checkpoint, not safetensors");
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("wrong"), "--backbone", "resnet50",
                "--init-weights", wrong.toString()))).isEqualTo(TrainingJob.USAGE));
        assertThat(err).contains("init-weights " + wrong.toAbsolutePath()).contains("is not a safetensors file");
    }

    @Test
    void initWeightsNeedsTheResNet50Backbone() throws Exception {
        Path file = Files.writeString(dir.resolve("w.safetensors"), "x");
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("small"), "--init-weights",
                file.toString()))).isEqualTo(TrainingJob.USAGE));
        assertThat(err).contains("--init-weights").contains("needs --backbone resnet50");
    }

    @Test
    void initWeightsAndInitFromAreMutuallyExclusive() throws Exception {
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("both"), "--backbone", "resnet50",
                "--init-weights", "w.safetensors", "--init-from", base.resolve("artifact").toString())))
                .isEqualTo(TrainingJob.USAGE));
        assertThat(err).contains("--init-weights").contains("--init-from").contains("mutually exclusive");
    }

    @Test
    void initFromStartsFromTheArtifactsWeightsAndRecordsIt() throws Exception {
        Path tuned = dir.resolve("tuned");
        // Another seed: a network initialised from scratch would embed differently.
        assertThat(TrainingJob.execute(train(tuned, "--seed", "5", "--id-loss", "--init-from",
                base.resolve("artifact.zip").toString()))).isZero();

        // Before any step the network is the artifact's: its test metrics are the artifact's, to the last digit.
        JsonNode baseMetrics = JSON.readTree(base.resolve("metrics.json").toFile());
        JsonNode untrained = JSON.readTree(tuned.resolve("metrics.json").toFile()).get("untrained");
        for (String metric : List.of("rank1", "mAP", "mINP")) {
            assertThat(untrained.get(metric).asDouble()).as(metric).isEqualTo(baseMetrics.get(metric).asDouble());
        }
        JsonNode baseUntrained = JSON.readTree(base.resolve("metrics.json").toFile()).get("untrained");
        assertThat(untrained.get("mAP").asDouble()).isNotEqualTo(baseUntrained.get("mAP").asDouble());

        JsonNode manifest = JSON.readTree(tuned.resolve("artifact/manifest.json").toFile());
        JsonNode baseManifest = JSON.readTree(base.resolve("artifact/manifest.json").toFile());
        String baseModel = baseManifest.at("/model/name").asText() + ":" + baseManifest.at("/model/version").asText();
        assertThat(manifest.at("/training/lossParameters/initFrom").asText()).isEqualTo(baseModel);
        assertThat(manifest.get("architecture")).isEqualTo(baseManifest.get("architecture"));
        JsonNode config = JSON.readTree(tuned.resolve("config.json").toFile()).get("training");
        assertThat(config.at("/init/kind").asText()).isEqualTo("artifact");
        assertThat(config.at("/init/model").asText()).isEqualTo(baseModel);
    }

    @Test
    void aConflictingBackboneIsRefused() throws Exception {
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("conflict"), "--backbone",
                "resnet50", "--init-from", base.resolve("artifact").toString()))).isEqualTo(TrainingJob.USAGE));
        assertThat(err).contains("--backbone resnet50 conflicts with --init-from").contains("a small model");
    }

    @Test
    void initFromActiveNeedsTheRegistry() throws Exception {
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("active"), "--init-from",
                "active"))).isEqualTo(TrainingJob.USAGE));
        assertThat(err).contains("--init-from active needs --from-registry");
    }

    /** The TorchScript and ONNX fixtures of scripts/fixtures/make_import_fixtures.py (64x32 input, like the runs here). */
    private static final Path IMPORT_FIXTURES = Path.of("..", "reid-core", "src", "test", "resources", "fixtures",
            "import");

    @Test
    void anImportedTorchScriptModelFineTunesFromItsOwnWeights() throws Exception {
        Path imported = dir.resolve("imported.zip");
        assertThat(TrainingJob.execute("import", "--torchscript", IMPORT_FIXTURES.resolve("small-reid.pt").toString(),
                "--height", "64", "--width", "32", "--name", "small-reid", "--version", "1", "--out",
                imported.toString())).isZero();
        Path evaluated = dir.resolve("imported-eval");
        assertThat(TrainingJob.execute("evaluate", "--model", imported.toString(), "--data", data.toString(), "--out",
                evaluated.toString())).isZero();
        Path tuned = dir.resolve("imported-tuned");
        assertThat(TrainingJob.execute(train(tuned, "--id-loss", "--init-from", imported.toString()))).isZero();

        // Before any step the network is the imported one: the run's floor is what evaluate measured.
        JsonNode before = JSON.readTree(evaluated.resolve("evaluation.json").toFile()).get("rows").get(0);
        JsonNode untrained = JSON.readTree(tuned.resolve("metrics.json").toFile()).get("untrained");
        for (String metric : List.of("rank1", "mAP", "mINP")) {
            assertThat(untrained.get(metric).asDouble()).as(metric)
                    .isCloseTo(before.get(metric).asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        }
        // The fine-tuned network comes back as a TorchScript artifact with the same input and output,
        // that the service's loader runs, and that embeds differently: its weights moved.
        Manifest manifest = ModelArtifact.readManifest(tuned.resolve("artifact.zip"));
        Manifest original = ModelArtifact.readManifest(imported);
        assertThat(manifest.architecture()).isEqualTo(original.architecture());
        assertThat(manifest.training().lossParameters()).containsEntry("initFrom", "small-reid:1");
        assertThat(manifest.evaluation()).isNotNull();
        var crop = ImageDecoding.toDjl(ImageDecoding.decode(IMPORT_FIXTURES.resolve("crop0.png")));
        try (Embedder tunedEmbedder = ModelArtifact.load(tuned.resolve("artifact.zip"));
                Embedder originalEmbedder = ModelArtifact.load(imported)) {
            float[] a = tunedEmbedder.embed(crop);
            float[] b = originalEmbedder.embed(crop);
            assertThat(a).hasSize(64);
            double change = 0;
            for (int i = 0; i < a.length; i++) {
                change = Math.max(change, Math.abs(a[i] - b[i]));
            }
            assertThat(change).as("largest change of the embedding").isGreaterThan(1e-3);
        }
    }

    @Test
    void anImportedOnnxModelCannotBeFineTuned() throws Exception {
        Path imported = dir.resolve("imported.onnx.zip");
        assertThat(TrainingJob.execute("import", "--onnx", IMPORT_FIXTURES.resolve("small-reid.onnx").toString(),
                "--height", "64", "--width", "32", "--bgr", "--pixel-range", "255", "--mean", "123.675,116.28,103.53",
                "--std", "58.395,57.12,57.375", "--output-index", "1", "--out", imported.toString())).isZero();
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("onnx-run"), "--init-from",
                imported.toString()))).isEqualTo(TrainingJob.USAGE));
        assertThat(err).contains("--init-from").contains("imported onnx model").contains("inference only");
        assertThat(dir.resolve("onnx-run")).doesNotExist();
    }

    @Test
    void aModelNoBetterThanItsUntrainedNetworkIsWarnedAboutAndPublishedOnlyWhenForced() throws Exception {
        // A learning rate too small to move anything: the "trained" model is the untrained one.
        Path stuck = dir.resolve("stuck");
        String[] args = train(stuck);
        args[java.util.Arrays.asList(args).indexOf("--lr") + 1] = "1e-12";
        String out = stdoutOf(() -> assertThat(TrainingJob.execute(args)).isZero());
        assertThat(out).contains("warning: the trained model").contains("no better than the untrained network");
        Manifest manifest = ModelArtifact.readManifest(stuck.resolve("artifact.zip"));
        assertThat(manifest.evaluation().untrained()).isNotNull();
        assertThat(manifest.evaluation().noBetterThanUntrained()).isTrue();

        Path registry = dir.resolve("floor-registry");
        String err = stderrOf(() -> assertThat(TrainingJob.execute("publish", "--model",
                stuck.resolve("artifact.zip").toString(), "--registry-dir", registry.toString()))
                .isEqualTo(TrainingJob.USAGE));
        assertThat(err).contains("no better than its untrained network").contains("--force");
        assertThat(TrainingJob.execute("publish", "--model", stuck.resolve("artifact.zip").toString(), "--registry-dir",
                registry.toString(), "--force")).isZero();
        // (A model that learnt something publishes without --force: TrainingJobEndToEndTest.)
    }

    @Test
    void aMissingArtifactIsRefused() throws Exception {
        Path missing = dir.resolve("no-such-artifact.zip");
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("missing"), "--init-from",
                missing.toString()))).isEqualTo(TrainingJob.USAGE));
        assertThat(err).contains("--init-from " + missing).contains("neither a directory nor a zip file");
    }

}
