package org.reid.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.image.ImageDecoding;
import org.reid.core.model.Embedder;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.training.CliRun;
import org.reid.training.TrainingJob;

/**
 * {@code import} on the fixtures of {@code scripts/fixtures/make_import_fixtures.py}: the artifacts
 * it writes embed the crops as PyTorch did, and every flag that contradicts the network is exit 2
 * naming that flag, with nothing written.
 */
class ImportCommandTest {
    /** The fixtures live with reid-core's tests; Maven runs each module's tests in its own folder. */
    private static final Path FIXTURES = Path.of("..", "reid-core", "src", "test", "resources", "fixtures", "import");

    @TempDir
    Path tmp;

    @Test
    void torchScriptImportEmbedsAsPyTorchDid() throws IOException {
        Path out = tmp.resolve("osnet.zip");
        assertThat(TrainingJob.execute("import", "--torchscript", FIXTURES.resolve("small-reid.pt").toString(),
                "--height", "64", "--width", "32", "--dim", "64", "--name", "small-reid", "--version", "7",
                "--backbone", "small-reid", "--source", "fixture", "--out", out.toString())).isZero();
        Manifest manifest = ModelArtifact.readManifest(out);
        assertThat(manifest.model().name()).isEqualTo("small-reid");
        assertThat(manifest.model().version()).isEqualTo("7");
        assertThat(manifest.architecture().format()).isEqualTo("torchscript");
        assertThat(manifest.architecture().embeddingDim()).isEqualTo(64);
        assertThat(manifest.training().lossParameters()).containsEntry("source", "fixture");
        assertThat(manifest.evaluation()).as("no metrics until evaluate measures it").isNull();
        assertEmbedsAsPyTorch(out, "torchscript");
        // It publishes like one of ours, as a candidate without metrics.
        Path registry = tmp.resolve("registry");
        assertThat(TrainingJob.execute("publish", "--model", out.toString(), "--registry-dir", registry.toString()))
                .isZero();
        var published = new org.reid.registry.DirectoryModelRegistry(registry).find("small-reid", "7").orElseThrow();
        assertThat(published.metricsJson()).isNull();
        assertThat(published.manifestJson()).contains("\"format\":\"torchscript\"");
    }

    @Test
    void onnxImportWithBgrPixelsAndASecondOutput() throws IOException {
        // fast-reid style: raw BGR pixels; mean/std given R,G,B as in its config, reordered for the network.
        Path out = tmp.resolve("fastreid");
        assertThat(TrainingJob.execute("import", "--onnx", FIXTURES.resolve("small-reid.onnx").toString(),
                "--height", "64", "--width", "32", "--bgr", "--pixel-range", "255",
                "--mean", "123.675,116.28,103.53", "--std", "58.395,57.12,57.375", "--output-index", "1",
                "--out", out.toString())).isZero();
        assertThat(ModelArtifact.readManifest(out).model().name()).isEqualTo("small-reid");
        assertEmbedsAsPyTorch(out, "onnx");
    }

    @Test
    void anExportWithItsBatchFixedAtOneEmbedsCropByCrop() throws IOException {
        Path out = tmp.resolve("batch1.zip");
        assertThat(TrainingJob.execute("import", "--onnx", FIXTURES.resolve("small-reid-batch1.onnx").toString(),
                "--height", "64", "--width", "32", "--bgr", "--pixel-range", "255",
                "--mean", "123.675,116.28,103.53", "--std", "58.395,57.12,57.375", "--output-index", "1",
                "--out", out.toString())).isZero();
        assertThat(ModelArtifact.readManifest(out).architecture().maxBatch()).isEqualTo(1);
        assertEmbedsAsPyTorch(out, "onnx-batch1");
    }

    @Test
    void flagsThatContradictTheNetworkAreRefusedByName() throws IOException {
        String pt = FIXTURES.resolve("small-reid.pt").toString();
        String onnx = FIXTURES.resolve("small-reid.onnx").toString();
        Path out = tmp.resolve("x.zip");
        expectUsage("--dim 128", "import", "--torchscript", pt, "--height", "64", "--width", "32", "--dim", "128",
                "--out", out.toString());
        expectUsage("--output-index 2", "import", "--onnx", onnx, "--height", "64", "--width", "32",
                "--output-index", "2", "--out", out.toString());
        expectUsage("--normalized", "import", "--torchscript", pt, "--height", "64", "--width", "32", "--normalized",
                "--out", out.toString());
        expectUsage("--height must be in [16", "import", "--torchscript", pt, "--height", "8", "--width", "32",
                "--out", out.toString());
        // The ONNX graph was exported for 64x32 crops: ONNX Runtime refuses another size.
        expectUsage("--height 128 --width 64", "import", "--onnx", onnx, "--height", "128", "--width", "64",
                "--output-index", "1", "--out", out.toString());
        expectUsage("--pixel-range", "import", "--torchscript", pt, "--height", "64", "--width", "32",
                "--pixel-range", "100", "--out", out.toString());
        expectUsage("--mean", "import", "--torchscript", pt, "--height", "64", "--width", "32", "--mean", "0.5,0.5",
                "--out", out.toString());
        // An ONNX file named as TorchScript, and a file that is no model at all.
        expectUsage("--torchscript", "import", "--torchscript", onnx, "--height", "64", "--width", "32",
                "--out", out.toString());
        Path png = FIXTURES.resolve("crop0.png");
        expectUsage("--onnx", "import", "--onnx", png.toString(), "--height", "64", "--width", "32",
                "--out", out.toString());
        Path truncated = tmp.resolve("truncated.pt");
        byte[] bytes = Files.readAllBytes(Path.of(pt));
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        expectUsage("--torchscript", "import", "--torchscript", truncated.toString(), "--height", "64", "--width", "32",
                "--out", out.toString());
        expectUsage("--torchscript", "import", "--torchscript", tmp.resolve("missing.pt").toString(), "--height", "64",
                "--width", "32", "--out", out.toString());
        assertThat(out).doesNotExist();
    }

    @Test
    void aModelFileOverTheUploadLimitIsRefusedBeforeItIsRead() throws IOException {
        // A sparse file: 600 MiB long, nothing on disk, never read into memory.
        Path huge = tmp.resolve("huge.onnx");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(600L << 20);
        }
        expectUsage("the limit is 512 MiB", "import", "--onnx", huge.toString(), "--height", "64", "--width", "32",
                "--out", tmp.resolve("huge.zip").toString());
        assertThat(tmp.resolve("huge.zip")).doesNotExist();
    }

    @Test
    void anExistingOutputIsNeverOverwritten() throws IOException {
        Path out = Files.writeString(tmp.resolve("taken.zip"), "mine");
        expectUsage("--out", "import", "--torchscript", FIXTURES.resolve("small-reid.pt").toString(),
                "--height", "64", "--width", "32", "--out", out.toString());
        assertThat(Files.readString(out)).isEqualTo("mine");
    }

    private static void expectUsage(String named, String... args) {
        CliRun.Result r = CliRun.run(args);
        assertThat(r.status()).as("exit code of %s", String.join(" ", args)).isEqualTo(TrainingJob.USAGE);
        assertThat(r.err()).as("error of %s", String.join(" ", args)).contains(named);
    }

    private static void assertEmbedsAsPyTorch(Path artifact, String section) throws IOException {
        JsonNode expected = new ObjectMapper().readTree(FIXTURES.resolve("expected.json").toFile()).get(section);
        List<ai.djl.modality.cv.Image> crops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            crops.add(ImageDecoding.decodeDjl(Files.readAllBytes(FIXTURES.resolve("crop" + i + ".png"))));
        }
        try (Embedder embedder = ModelArtifact.load(artifact)) {
            float[][] got = embedder.embed(crops);
            for (int i = 0; i < got.length; i++) {
                for (int d = 0; d < got[i].length; d++) {
                    assertThat((double) got[i][d]).isCloseTo(expected.get("embeddings").get(i).get(d).asDouble(),
                            org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }
}
