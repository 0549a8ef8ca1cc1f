package org.reid.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.reid.core.image.ImageDecoding;
import org.reid.core.image.Preprocessing;

/**
 * An imported TorchScript / ONNX network, with the preprocessing its manifest names, reproduces
 * the embeddings PyTorch computed for the same crops (fixtures of
 * {@code scripts/fixtures/make_import_fixtures.py}): the TorchScript one takes RGB in [0, 1], the
 * ONNX one BGR in [0, 255] and returns its embedding as output 1, so order, range and output
 * choice are all checked, and one crop is resized on the way.
 */
class ImportedModelParityTest {
    private static final String DIR = "/fixtures/import/";
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"torchscript", "onnx", "onnx-batch1"})
    void importedModelReproducesPyTorchEmbeddings(String section) throws IOException {
        ModelFormat format = section.startsWith("onnx") ? ModelFormat.ONNX : ModelFormat.TORCHSCRIPT;
        JsonNode expected = new ObjectMapper().readTree(resource("expected.json")).get(section);
        Path artifact = tmp.resolve("artifact");
        ModelArtifact.writeImported(artifact, resource(expected.get("file").asText()), manifest(format, expected));

        double worst = 0;
        try (Embedder embedder = ModelArtifact.load(artifact)) {
            float[][] got = embedder.embed(crops());
            JsonNode want = expected.get("embeddings");
            assertThat(got.length).isEqualTo(want.size());
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).hasSize(want.get(i).size());
                for (int d = 0; d < got[i].length; d++) {
                    worst = Math.max(worst, Math.abs(got[i][d] - want.get(i).get(d).asDouble()));
                }
            }
            // One crop alone goes through the same path as a batch.
            float[] single = embedder.embed(crops().get(2));
            for (int d = 0; d < single.length; d++) {
                worst = Math.max(worst, Math.abs(single[d] - want.get(2).get(d).asDouble()));
            }
        }
        System.out.printf("%s import parity: max abs difference %.3g over %d crops%n", section, worst,
                expected.get("embeddings").size());
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void theWrongChannelOrderIsCaught() throws IOException {
        // The check is sharp enough to notice a preprocessing mistake: RGB fed to the BGR model.
        JsonNode expected = fixture(ModelFormat.ONNX);
        Manifest right = manifest(ModelFormat.ONNX, expected);
        Manifest.Architecture a = right.architecture();
        Manifest wrong = Manifest.of(right.model(), Manifest.Architecture.imported(ModelFormat.ONNX, a.backbone(),
                a.embeddingDim(), new Preprocessing(a.inputHeight(), a.inputWidth(), a.mean(), a.std(), false, 255f),
                a.outputIndex(), false, 0), right.training(), right.evaluation());
        Path artifact = tmp.resolve("wrong");
        ModelArtifact.writeImported(artifact, resource(expected.get("file").asText()), wrong);
        try (Embedder embedder = ModelArtifact.load(artifact)) {
            float[] got = embedder.embed(crops().get(0));
            double worst = 0;
            for (int d = 0; d < got.length; d++) {
                worst = Math.max(worst, Math.abs(got[d] - expected.get("embeddings").get(0).get(d).asDouble()));
            }
            assertThat(worst).isGreaterThan(100 * TOLERANCE);
        }
    }

    @Test
    void probeReportsEveryOutputShape() throws IOException {
        JsonNode expected = fixture(ModelFormat.ONNX);
        Preprocessing input = manifest(ModelFormat.ONNX, expected).architecture().toPreprocessing();
        try (ai.djl.Model model = ImportedModel.load(ModelFormat.ONNX, resource("small-reid.onnx"), "probe", null)) {
            assertThat(ImportedModel.probe(model, input, 2)).containsExactly(new Shape(2, 10), new Shape(2, 64));
        }
        try (ai.djl.Model model = ImportedModel.load(ModelFormat.TORCHSCRIPT, resource("small-reid.pt"), "probe", null)) {
            assertThat(ImportedModel.probe(model, input, 3)).containsExactly(new Shape(3, 64));
        }
    }

    @Test
    void aFileThatIsNotTheNamedFormatIsRefused() throws IOException {
        byte[] png = resource("crop0.png");
        assertThatThrownBy(() -> ImportedModel.load(ModelFormat.TORCHSCRIPT, png, "bad", null))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ImportedModel.load(ModelFormat.ONNX, png, "bad", null))
                .isInstanceOf(IOException.class);
        byte[] model = resource("small-reid.pt");
        byte[] truncated = java.util.Arrays.copyOf(model, model.length / 2);
        assertThatThrownBy(() -> ImportedModel.load(ModelFormat.TORCHSCRIPT, truncated, "bad", null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void anArtifactWhoseNetworkFileIsNotLoadableIsInvalid() throws IOException {
        JsonNode expected = fixture(ModelFormat.TORCHSCRIPT);
        Path artifact = tmp.resolve("garbage");
        ModelArtifact.writeImported(artifact, "not a module".getBytes(), manifest(ModelFormat.TORCHSCRIPT, expected));
        assertThatThrownBy(() -> ModelArtifact.load(artifact))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("model.pt is not a loadable torchscript model");
    }

    @Test
    void importedManifestsRoundTripAndAreNotReidNets() throws IOException {
        JsonNode expected = fixture(ModelFormat.ONNX);
        Path artifact = tmp.resolve("onnx");
        Manifest written = ModelArtifact.writeImported(artifact, resource("small-reid.onnx"),
                manifest(ModelFormat.ONNX, expected));
        assertThat(written.files()).containsOnlyKeys("model.onnx");
        Manifest read = ModelArtifact.readManifest(artifact);
        assertThat(read).isEqualTo(written);
        assertThat(read.architecture().toPreprocessing().bgr()).isTrue();
        assertThat(read.architecture().toPreprocessing().pixelRange()).isEqualTo(255f);
        assertThat(read.architecture().outputIndex()).isEqualTo(1);
        assertThatThrownBy(() -> read.architecture().toConfig()).hasMessageContaining("not a ReidNet");
    }

    static Manifest manifest(ModelFormat format, JsonNode expected) {
        JsonNode pre = expected.get("preprocessing");
        Preprocessing input = new Preprocessing(64, 32, floats(pre.get("mean")), floats(pre.get("std")),
                pre.get("bgr").asBoolean(), (float) pre.get("pixel_range").asDouble());
        return Manifest.of(new Manifest.ModelInfo("small-reid-" + format.id(), "1", "2026-12-05T00:00:00Z"),
                Manifest.Architecture.imported(format, "small-reid", expected.get("embeddings").get(0).size(), input,
                        expected.get("outputIndex").asInt(), false, expected.get("file").asText().contains("batch1") ? 1 : 0),
                new Manifest.Training("imported", Map.of(), "external", "unknown", 0, 0, "external", "test"),
                null);
    }

    static JsonNode fixture(ModelFormat format) throws IOException {
        return new ObjectMapper().readTree(resource("expected.json")).get(format.id());
    }

    static List<Image> crops() throws IOException {
        List<Image> crops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            crops.add(ImageDecoding.decodeDjl(resource("crop" + i + ".png")));
        }
        return crops;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ImportedModelParityTest.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + DIR + name);
            }
            return in.readAllBytes();
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
