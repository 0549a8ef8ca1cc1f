package org.reid.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.training.CliRun;
import org.reid.training.TrainingJob;

/**
 * {@code evaluate} through the command line with the bundled demo model (real DJL inference) on
 * tiny synthetic worlds rendered by {@code synth}.
 */
class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = Path.of("../models/reid-demo-small-1.zip").toString();
    private static final Pattern MARKET = Pattern.compile("(\\d+)_c(\\d+)s(\\d+)_(\\d+)_(\\d+)\\.jpg");

    @TempDir
    static Path dir;
    static Path worldA;
    static Path worldB;

    @BeforeAll
    static void synthesise() {
        worldA = dir.resolve("a");
        worldB = dir.resolve("b");
        assertThat(TrainingJob.execute("synth", "--out", worldA.toString(), "--identities", "16", "--cameras", "3",
                "--images-per-identity", "6", "--height", "64", "--width", "32", "--seed", "11")).isZero();
        assertThat(TrainingJob.execute("synth", "--out", worldB.toString(), "--preset", "hard", "--identities", "12",
                "--cameras", "2", "--images-per-identity", "6", "--height", "64", "--width", "32", "--seed", "12"))
                .isZero();
    }

    @Test
    void severalModelsOnSeveralDatasetsMakeOneConsistentTable() throws Exception {
        Path out = dir.resolve("table");
        String stdout = stdoutOf("evaluate", "--model", "old=" + MODEL, "--model", "new=" + MODEL,
                "--data", "alpha=" + worldA + ",beta=" + worldB, "--out", out.toString());

        JsonNode json = JSON.readTree(out.resolve("evaluation.json").toFile());
        assertThat(json.get("protocol").asText()).contains("same identity and camera");
        JsonNode rows = json.get("rows");
        assertThat(rows).hasSize(4);
        String markdown = Files.readString(out.resolve("evaluation.md"));
        assertThat(stdout).contains(markdown);
        for (JsonNode r : rows) {
            double[] cmc = JSON.convertValue(r.get("cmc"), double[].class);
            assertThat(r.get("rank1").asDouble()).isEqualTo(cmc[0]);
            assertThat(r.get("rank5").asDouble()).isEqualTo(cmc[4]);
            assertThat(r.get("rank10").asDouble()).isEqualTo(cmc[9]);
            assertThat(r.get("mAP").asDouble()).isBetween(0.0, 1.0);
            assertThat(r.get("mINP").asDouble()).isLessThanOrEqualTo(r.get("mAP").asDouble());
            // the markdown row carries the JSON's numbers
            assertThat(markdown).contains(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %.3f | %.3f | %.3f"
                            + " | %.3f | %.3f | %d/%d |", r.get("model").asText(), r.get("dataset").asText(),
                    r.get("queries").asInt(), r.get("gallery").asInt(), r.get("identities").asInt(),
                    r.get("rank1").asDouble(), r.get("rank5").asDouble(), r.get("rank10").asDouble(),
                    r.get("mAP").asDouble(), r.get("mINP").asDouble(), r.get("scoredQueries").asInt(),
                    r.get("queries").asInt()));
        }
        // rows are model x dataset, in the order given; the test halves of the worlds (8 and 6 identities)
        assertThat(rows).extracting(r -> r.get("model").asText() + "/" + r.get("dataset").asText())
                .containsExactly("old/alpha", "old/beta", "new/alpha", "new/beta");
        assertThat(rows.get(0).get("identities").asInt()).isEqualTo(8);
        assertThat(rows.get(1).get("identities").asInt()).isEqualTo(6);
        // the same artifact twice gives the same numbers; different worlds give different ones
        assertThat(rows.get(2).get("cmc")).isEqualTo(rows.get(0).get("cmc"));
        assertThat(rows.get(2).get("mAP")).isEqualTo(rows.get(0).get("mAP"));
        assertThat(rows.get(1).get("mAP")).isNotEqualTo(rows.get(0).get("mAP"));

        // one CMC plot per dataset, none per model
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")))
                    .containsExactlyInAnyOrder("cmc-alpha.png", "cmc-beta.png");
        }
        assertThat(ImageIO.read(out.resolve("cmc-alpha.png").toFile()).getWidth()).isEqualTo(900);

        // a dataset alone scores what it scored beside another one
        Path alone = dir.resolve("alone");
        stdoutOf("evaluate", "--model", MODEL, "--data", worldB.toString(), "--out", alone.toString());
        JsonNode single = JSON.readTree(alone.resolve("evaluation.json").toFile()).get("rows").get(0);
        assertThat(single.get("model").asText()).isEqualTo("reid-demo-small-1");
        assertThat(single.get("dataset").asText()).isEqualTo("b");
        assertThat(single.get("cmc")).isEqualTo(rows.get(1).get("cmc"));
        assertThat(single.get("mAP")).isEqualTo(rows.get(1).get("mAP"));
    }

    /**
     * Adds to the gallery, for every query, a byte-identical copy under the same identity and
     * camera: the nearest possible crop (distance 0). Counted as a match it would put rank-1 at
     * 1.0; the Market-1501 protocol discards it for its own query, and for the other queries it is
     * just one more wrong crop, so no number can rise. One query per identity, so that a copy is
     * never a legitimate cross-camera match of another query.
     */
    @Test
    void aSameCameraSiblingNeverCountsAsAMatch() throws Exception {
        Path plain = dir.resolve("plain");
        copyTree(worldA.resolve("bounding_box_test"), plain.resolve("bounding_box_test"));
        Files.createDirectories(plain.resolve("query"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (Stream<Path> queries = Files.list(worldA.resolve("query"))) {
            for (Path q : queries.sorted().toList()) {
                if (seen.add(q.getFileName().toString().substring(0, 4))) {
                    Files.copy(q, plain.resolve("query").resolve(q.getFileName()));
                }
            }
        }
        Path siblings = dir.resolve("siblings");
        copyTree(plain, siblings);
        int n = 0;
        try (Stream<Path> queries = Files.list(siblings.resolve("query"))) {
            for (Path q : queries.sorted().toList()) {
                Matcher m = MARKET.matcher(q.getFileName().toString());
                assertThat(m.matches()).as(q.toString()).isTrue();
                String copy = String.format("%s_c%ss%s_9%05d_99.jpg", m.group(1), m.group(2), m.group(3), n++);
                Files.copy(q, siblings.resolve("bounding_box_test").resolve(copy));
            }
        }
        Path out = dir.resolve("siblings-table");
        stdoutOf("evaluate", "--model", MODEL, "--data", "plain=" + plain + ",siblings=" + siblings, "--out",
                out.toString());
        JsonNode rows = JSON.readTree(out.resolve("evaluation.json").toFile()).get("rows");
        JsonNode without = rows.get(0);
        JsonNode with = rows.get(1);
        assertThat(n).isEqualTo(8);
        assertThat(with.get("gallery").asInt()).isEqualTo(without.get("gallery").asInt() + n);
        assertThat(with.get("scoredQueries")).isEqualTo(without.get("scoredQueries"));
        assertThat(with.get("rank1").asDouble()).isLessThan(1.0);
        for (String metric : new String[] {"rank1", "rank5", "mAP", "mINP"}) {
            assertThat(with.get(metric).asDouble()).as(metric).isLessThanOrEqualTo(without.get(metric).asDouble());
        }
    }

    @Test
    void aFolderWithOnlyQueryAndGalleryIsEvaluated() throws Exception {
        Path testOnly = dir.resolve("test-only");
        copyTree(worldA.resolve("query"), testOnly.resolve("query"));
        copyTree(worldA.resolve("bounding_box_test"), testOnly.resolve("bounding_box_test"));
        Path out = dir.resolve("test-only-table");
        stdoutOf("evaluate", "--model", MODEL, "--data", "full=" + worldA + ",testonly=" + testOnly, "--out",
                out.toString());
        JsonNode rows = JSON.readTree(out.resolve("evaluation.json").toFile()).get("rows");
        assertThat(rows.get(1).get("cmc")).isEqualTo(rows.get(0).get("cmc"));
        assertThat(rows.get(1).get("mAP")).isEqualTo(rows.get(0).get("mAP"));
    }

    @Test
    void recordWritesTheResultsIntoTheManifestAndKeepsTheNetwork() throws Exception {
        Path model = Files.copy(Path.of(MODEL), dir.resolve("recorded.zip"));
        byte[] network = org.reid.core.model.ModelArtifact.networkFile(model);
        Path out = dir.resolve("recorded-table");
        stdoutOf("evaluate", "--model", model.toString(), "--data", "alpha=" + worldA, "--out", out.toString(), "--record");
        stdoutOf("evaluate", "--model", model.toString(), "--data", "beta=" + worldB + ",alpha=" + worldA, "--out",
                out.toString(), "--record");

        org.reid.core.model.Manifest manifest = org.reid.core.model.ModelArtifact.readManifest(model);
        JsonNode rows = JSON.readTree(out.resolve("evaluation.json").toFile()).get("rows");
        // one entry per dataset, the latest measurement, sorted by dataset
        assertThat(manifest.generalisation()).extracting(org.reid.core.model.Manifest.UnseenDataset::dataset)
                .containsExactly("alpha", "beta");
        assertThat(manifest.generalisation().get(0).mAP()).isEqualTo(rows.get(1).get("mAP").asDouble());
        assertThat(manifest.generalisation().get(1).rank1()).isEqualTo(rows.get(0).get("rank1").asDouble());
        assertThat(manifest.generalisation().get(1).queries()).isEqualTo(rows.get(0).get("queries").asInt());
        assertThat(org.reid.core.model.ModelArtifact.networkFile(model)).isEqualTo(network);
        JsonNode metrics = JSON.readTree(org.reid.core.model.ModelArtifact.metricsJson(manifest));
        assertThat(metrics.get("mAP").asDouble()).isEqualTo(manifest.evaluation().mAP());
        assertThat(metrics.get("generalisation").get(1).get("dataset").asText()).isEqualTo("beta");

        assertThat(errorOf("evaluate", "--model", model.toString(), "--data", worldA.toString(), "--out", out.toString(),
                "--record", "--rerank")).contains("--record");
    }

    @Test
    void wrongInputExitsWithTwoNamingTheFlag() throws Exception {
        Path out = dir.resolve("unused");
        Path nowhere = dir.resolve("nowhere");
        assertThat(errorOf("evaluate", "--model", MODEL, "--data", worldA + "," + nowhere, "--out", out.toString()))
                .contains("--data " + nowhere).contains("does not exist");

        Path emptyQuery = dir.resolve("empty-query");
        copyTree(worldA.resolve("bounding_box_test"), emptyQuery.resolve("bounding_box_test"));
        Files.createDirectories(emptyQuery.resolve("query"));
        assertThat(errorOf("evaluate", "--model", MODEL, "--data", emptyQuery.toString(), "--out", out.toString()))
                .contains("--data " + emptyQuery).contains(emptyQuery.resolve("query").toString())
                .contains("no usable images");

        assertThat(errorOf("evaluate", "--model", MODEL, "--data", "x=" + worldA + ",x=" + worldB, "--out",
                out.toString())).contains("--data").contains("both named 'x'");
        assertThat(errorOf("evaluate", "--model", dir.resolve("none.zip").toString(), "--data", worldA.toString(),
                "--out", out.toString())).contains("--model").contains("does not exist");
        Path file = Files.writeString(dir.resolve("a-file.json"), "{}");
        assertThat(errorOf("evaluate", "--model", MODEL, "--data", worldA.toString(), "--out", file.toString()))
                .contains("--out " + file);
        assertThat(out).doesNotExist();
    }

    private static String stdoutOf(String... args) {
        CliRun.Result r = CliRun.run(args);
        assertThat(r.status()).as("exit status of %s", String.join(" ", args)).isZero();
        return r.out();
    }

    private static String errorOf(String... args) {
        CliRun.Result r = CliRun.run(args);
        assertThat(r.status()).as("exit status of %s", String.join(" ", args)).isEqualTo(2);
        return r.err();
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
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
