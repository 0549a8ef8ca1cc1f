package org.reid.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.reid.registry.DirectoryModelRegistry;

/**
 * The training job as a user runs it: synth, train (real DJL training, tiny), evaluate, publish,
 * each through the command line, on one tiny synthetic dataset.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingJobEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path data;
    static Path run;

    @BeforeAll
    static void synthesise() {
        data = dir.resolve("data");
        run = dir.resolve("run");
        assertThat(TrainingJob.execute("synth", "--out", data.toString(), "--identities", "40", "--cameras", "3",
                "--images-per-identity", "8", "--height", "64", "--width", "32", "--seed", "3")).isZero();
    }

    static String[] train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--loss", "batch-hard",
                "--epochs", "4", "--p", "4", "--k", "4", "--height", "64", "--width", "32", "--lr", "1e-3",
                "--warmup-epochs", "0", "--eval-every", "1", "--val-identities", "3", "--device", "cpu", "--seed", "2",
                "--out", out.toString()));
        // A repeated option replaces the default above.
        for (int i = 0; i + 1 < extra.length; i += 2) {
            int at = args.indexOf(extra[i]);
            if (at >= 0) {
                args.set(at + 1, extra[i + 1]);
            } else {
                args.add(extra[i]);
                args.add(extra[i + 1]);
            }
        }
        if (extra.length % 2 == 1) {
            args.add(extra[extra.length - 1]);
        }
        return args.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void synthWritesTheMarketLayoutAndAContactSheet() {
        assertThat(data.resolve("bounding_box_train")).isDirectory();
        assertThat(data.resolve("query")).isDirectory();
        assertThat(data.resolve("bounding_box_test")).isDirectory();
        assertThat(data.resolve("contact-sheet.png")).isRegularFile();
    }

    @Test
    @Order(2)
    void trainWritesTheRunFolderAndBeatsTheUntrainedNetwork() throws Exception {
        assertThat(TrainingJob.execute(train(run))).isZero();
        for (String f : List.of("config.json", "log.jsonl", "metrics.json", "history.json", "checkpoints/last.ckpt",
                "checkpoints/best.ckpt", "artifact/manifest.json", "artifact.zip", "plots/loss.png",
                "plots/validation.png", "plots/cmc.png", "plots/triplet-scatter.png", "plots/ranked-results.png")) {
            assertThat(run.resolve(f)).as(f).isRegularFile();
        }
        JsonNode metrics = JSON.readTree(run.resolve("metrics.json").toFile());
        assertThat(metrics.get("mAP").asDouble()).isGreaterThan(metrics.get("untrained").get("mAP").asDouble());
        assertThat(metrics.get("validation")).hasSize(4);

        List<Double> epochLoss = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("log.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            if (r.get("event").asText().equals("epoch")) {
                epochLoss.add(r.get("meanLoss").asDouble());
            }
        }
        assertThat(epochLoss).hasSize(4);
        assertThat(epochLoss.get(3)).isLessThan(epochLoss.get(0));
    }

    @Test
    @Order(3)
    void evaluateOfTheArtifactReproducesTheRunsTestMetrics() throws Exception {
        Path out = dir.resolve("eval");
        assertThat(TrainingJob.execute("evaluate", "--model", run.resolve("artifact").toString(), "--data",
                data.toString(), "--out", out.toString())).isZero();
        JsonNode eval = JSON.readTree(out.resolve("evaluation.json").toFile()).get("rows").get(0);
        JsonNode metrics = JSON.readTree(run.resolve("metrics.json").toFile());
        // Serving preprocessing (the artifact's Embedder) and training's evaluation agree.
        assertThat(eval.get("mAP").asDouble()).isCloseTo(metrics.get("mAP").asDouble(), within(1e-4));
        assertThat(eval.get("rank1").asDouble()).isCloseTo(metrics.get("rank1").asDouble(), within(1e-4));

        assertThat(TrainingJob.execute("evaluate", "--model", run.resolve("artifact.zip").toString(), "--data",
                data.toString(), "--rerank", "--out", dir.resolve("eval-reranked").toString())).isZero();
    }

    @Test
    @Order(4)
    void publishStoresACandidateInADirectoryRegistry() throws Exception {
        Path registry = dir.resolve("registry");
        // It learnt: its test mAP clears the untrained network's, so no --force is needed.
        var evaluation = org.reid.core.model.ModelArtifact.readManifest(run.resolve("artifact.zip")).evaluation();
        assertThat(evaluation.untrained()).isNotNull();
        assertThat(evaluation.noBetterThanUntrained()).as("%s", evaluation).isFalse();
        assertThat(TrainingJob.execute("publish", "--model", run.resolve("artifact.zip").toString(), "--registry-dir",
                registry.toString())).isZero();
        var models = new DirectoryModelRegistry(registry).list();
        assertThat(models).hasSize(1);
        assertThat(models.get(0).metricsJson()).contains("mAP");
        // The same version again is refused with exit 2, nothing overwritten.
        assertThat(TrainingJob.execute("publish", "--model", run.resolve("artifact").toString(), "--registry-dir",
                registry.toString())).isEqualTo(2);
    }

    @Test
    @Order(5)
    void wrongUseExitsWithTwoAndSaysWhat() throws Exception {
        assertThat(errorOf(train(dir.resolve("r1"), "--loss", "no-such-loss"))).contains("unknown loss 'no-such-loss'");
        String[] missing = train(dir.resolve("r2"));
        missing[2] = dir.resolve("nowhere").toString();
        assertThat(errorOf(missing)).contains("nowhere");
        assertThat(errorOf(train(dir.resolve("r3"), "--p", "40"))).contains("--p 40");
        assertThat(errorOf(train(run))).contains("not empty").contains("--resume");
        assertThat(errorOf(train(run, "--lr", "0.01", "--resume"))).contains("options differ").contains("learningRate");
        assertThat(errorOf("evaluate", "--model", dir.resolve("none").toString(), "--data", data.toString()))
                .contains("does not exist");

        Path broken = dir.resolve("broken");
        copyTree(data, broken);
        Files.write(broken.resolve("bounding_box_train/not-a-market-name.jpg"), new byte[] {1, 2, 3});
        assertThat(errorOf(replaceData(train(dir.resolve("r4")), broken))).contains("not-a-market-name.jpg");
    }

    private static String[] replaceData(String[] args, Path newData) {
        args[2] = newData.toString();
        return args;
    }

    private static String errorOf(String... args) {
        CliRun.Result r = CliRun.run(args);
        assertThat(r.status()).as("exit status of %s", String.join(" ", args)).isEqualTo(2);
        return r.err();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
