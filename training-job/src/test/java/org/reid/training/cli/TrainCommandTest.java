package org.reid.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.training.CliRun;
import org.reid.training.TrainingJob;

/** {@code train --miner} and the {@code losses} listing, through the command line. */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String[] train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--epochs", "1", "--p", "4",
                "--k", "3", "--height", "64", "--width", "32", "--lr", "1e-3", "--warmup-epochs", "0",
                "--eval-every", "1", "--val-identities", "2", "--device", "cpu", "--out", out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void tripletWithTheBatchHardMinerTrainsAndRecordsItsMiner() throws Exception {
        Path data = dir.resolve("data");
        assertThat(TrainingJob.execute("synth", "--out", data.toString(), "--identities", "40", "--cameras", "3",
                "--images-per-identity", "8", "--height", "64", "--width", "32", "--seed", "3")).isZero();
        Path run = dir.resolve("run");
        CliRun.Result r = CliRun.run(train(data, run, "--loss", "triplet", "--miner", "batch-hard"));
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode manifest = JSON.readTree(run.resolve("artifact/manifest.json").toFile());
        assertThat(manifest.at("/training/lossParameters/miner").asText()).isEqualTo("batch-hard");
        assertThat(manifest.at("/model/name").asText()).isEqualTo("reid-small-triplet");
    }

    @Test
    void aWrongMinerExitsTwoNamingItBeforeTheDataIsRead() {
        Path nowhere = dir.resolve("no-such-data");
        String unknown = errorOf(train(nowhere, dir.resolve("r1"), "--loss", "triplet", "--miner", "hardest"));
        assertThat(unknown).contains("--miner hardest").contains("unknown miner 'hardest'")
                .contains("[batch-hard, ephn, multi-similarity]").doesNotContain("no-such-data");
        String noMiner = errorOf(train(nowhere, dir.resolve("r2"), "--loss", "contrastive", "--miner", "batch-hard"));
        assertThat(noMiner).contains("loss 'contrastive' takes no miner").contains("triplet");
        String viaParam = errorOf(train(nowhere, dir.resolve("r3"), "--loss", "batch-hard", "--loss-param",
                "miner=batch-hard"));
        assertThat(viaParam).contains("--miner batch-hard").contains("loss 'batch-hard' takes no miner");
        String twice = errorOf(train(nowhere, dir.resolve("r4"), "--loss", "triplet", "--miner", "batch-hard",
                "--loss-param", "miner=ephn"));
        assertThat(twice).contains("--miner batch-hard conflicts with --loss-param miner=ephn");
    }

    @Test
    void lossesListsTheLossesThenTheMiners() {
        CliRun.Result r = CliRun.run("losses");
        assertThat(r.status()).isZero();
        List<String> lines = r.out().lines().toList();
        int heading = lines.indexOf("miners (train --miner, with loss binomial, multi-similarity, triplet):");
        assertThat(heading).isPositive();
        assertThat(lines.subList(0, heading)).contains("batch-hard", "batch-all", "triplet", "contrastive", "mvp", "");
        assertThat(lines.subList(heading + 1, lines.size())).containsExactly("batch-hard", "ephn", "multi-similarity");
    }

    private static String errorOf(String... args) {
        CliRun.Result r = CliRun.run(args);
        assertThat(r.status()).as("exit status of %s", String.join(" ", args)).isEqualTo(TrainingJob.USAGE);
        return r.err();
    }
}
