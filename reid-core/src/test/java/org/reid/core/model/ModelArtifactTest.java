package org.reid.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.image.ImageDecoding;
import org.reid.core.image.ImagePreprocessor;
import org.reid.core.image.Preprocessing;
import org.reid.core.loss.LossParameterBlock;
import org.reid.core.util.Sha256;

class ModelArtifactTest {
    private static final Preprocessing PRE = Preprocessing.imagenet(32, 16);
    private static final ReidNetConfig CONFIG = new ReidNetConfig(Backbone.SMALL, 0, Pooling.GEM, Neck.BNNECK, 5, 32, 16);

    @TempDir
    Path tmp;

    private NDManager manager;
    private ReidNet net;
    private List<BufferedImage> crops;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(3);
        manager = NDManager.newBaseManager();
        LossParameterBlock lossBlock = new LossParameterBlock();
        lossBlock.add("alpha", new Shape(1), new ConstantInitializer(1f), 100f);
        net = new ReidNet(CONFIG).attachLossParameters(lossBlock);
        net.initialize(manager, DataType.FLOAT32, new Shape(4, 3, 32, 16));
        // One training-mode pass moves the BN running statistics away from their 0/1 start,
        // so the round trip must carry them too.
        net.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(new Shape(4, 3, 32, 16))), true);
        crops = new ArrayList<>();
        Random rng = new Random(17);
        for (int i = 0; i < 4; i++) {
            BufferedImage img = new BufferedImage(12 + 4 * i, 30 + 2 * i, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, rng.nextInt(1 << 24));
                }
            }
            crops.add(img);
        }
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static Manifest manifest() {
        return Manifest.of(
                new Manifest.ModelInfo("reid-small", "2026.11.22-1", "2026-11-22T12:00:00Z"),
                Manifest.Architecture.of(CONFIG, PRE),
                new Manifest.Training("mvp", Map.of("margin", "0.3", "alpha", "1.0"), "synthetic-v1", "sha256:abc", 3, 42L,
                        "cpu", "6ae60db"),
                new Manifest.Evaluation("synthetic-v1/val", 0.5, 0.75, 0.875, 0.4, 0.125));
    }

    /** Embeddings straight from the in-memory network at inference. */
    private float[][] reference() {
        ImagePreprocessor pre = new ImagePreprocessor(PRE);
        List<float[]> inputs = crops.stream().map(pre::apply).toList();
        NDList out = net.forward(new ParameterStore(manager, false), new NDList(pre.toBatch(manager, inputs)), false);
        float[][] ref = new float[crops.size()][];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = out.head().get(i).toFloatArray();
        }
        return ref;
    }

    private List<Image> djlImages() {
        return crops.stream().map(ImageDecoding::toDjl).toList();
    }

    @Test
    void roundTripThroughDirectoryAndZipGivesTheSameEmbeddings() throws IOException {
        Path dir = tmp.resolve("model");
        Manifest written = ModelArtifact.write(dir, net, manifest());
        assertThat(written.files()).containsOnlyKeys(ModelArtifact.WEIGHTS);
        assertThat(written.files().get(ModelArtifact.WEIGHTS))
                .isEqualTo(Sha256.hex(Files.readAllBytes(dir.resolve(ModelArtifact.WEIGHTS))));
        Path zip = ModelArtifact.zip(dir, tmp.resolve("model.zip"));
        float[][] ref = reference();
        assertThat(ref[0]).isNotEqualTo(ref[1]);

        for (Path artifact : List.of(dir, zip)) {
            try (Embedder embedder = ModelArtifact.load(artifact)) {
                assertThat(embedder.manifest()).isEqualTo(written);
                assertThat(embedder.dimension()).isEqualTo(256);
                assertThat(embedder.preprocessing()).isEqualTo(PRE);
                float[][] batch = embedder.embed(djlImages());
                for (int i = 0; i < ref.length; i++) {
                    assertClose(batch[i], ref[i]);
                    assertClose(embedder.embed(ImageDecoding.toDjl(crops.get(i))), ref[i]);
                }
                // DJL's translator path computes the same; one CropEmbedder reused across calls of
                // different sizes (its buffers outlive each call) returns each call's own crops.
                try (ai.djl.inference.Predictor<Image, float[]> predictor = embedder.newPredictor()) {
                    List<float[]> viaTranslator = predictor.batchPredict(djlImages());
                    for (int i = 0; i < ref.length; i++) {
                        assertClose(viaTranslator.get(i), ref[i]);
                    }
                } catch (ai.djl.translate.TranslateException e) {
                    throw new AssertionError(e);
                }
                CropEmbedder reused = embedder.newCropEmbedder();
                for (int i = ref.length - 1; i >= 0; i--) {
                    assertClose(reused.embed(crops.get(i)), ref[i]);
                    float[][] all = reused.embed(crops);
                    assertClose(all[ref.length - 1 - i], ref[ref.length - 1 - i]);
                }
            }
        }
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int j = 0; j < expected.length; j++) {
            assertThat(Math.abs(actual[j] - expected[j])).as("component %d", j).isLessThanOrEqualTo(1e-6f);
        }
    }

    @Test
    void manifestCarriesTheContractFields() throws IOException {
        Path dir = tmp.resolve("model");
        ModelArtifact.write(dir, net, manifest());
        JsonNode json = new ObjectMapper().readTree(dir.resolve(ModelArtifact.MANIFEST).toFile());
        assertThat(json.get("formatVersion").asInt()).isEqualTo(ModelArtifact.FORMAT_VERSION);
        List<String> sections = new ArrayList<>();
        json.fieldNames().forEachRemaining(sections::add);
        assertThat(sections).containsExactly("formatVersion", "model", "architecture", "training", "evaluation", "files");
        List<String> architecture = new ArrayList<>();
        json.get("architecture").fieldNames().forEachRemaining(architecture::add);
        assertThat(architecture).containsExactly("format", "backbone", "depth", "pooling", "neck", "projectionDim",
                "embeddingDim", "inputHeight", "inputWidth", "mean", "std", "bgr", "pixelRange", "outputIndex",
                "normalized", "maxBatch");
        assertThat(json.at("/architecture/format").asText()).isEqualTo("reidnet");
        assertThat(json.at("/model/name").asText()).isEqualTo("reid-small");
        assertThat(json.at("/architecture/backbone").asText()).isEqualTo("small");
        assertThat(json.at("/architecture/depth").asInt()).isEqualTo(Backbone.SMALL.depth());
        assertThat(json.at("/architecture/embeddingDim").asInt()).isEqualTo(256);
        assertThat(json.at("/architecture/inputHeight").asInt()).isEqualTo(32);
        assertThat(json.at("/architecture/mean/0").floatValue()).isEqualTo(0.485f);
        assertThat(json.at("/architecture/std/2").floatValue()).isEqualTo(0.225f);
        assertThat(json.at("/architecture/neck").asText()).isEqualTo("bnneck");
        assertThat(json.at("/architecture/pooling").asText()).isEqualTo("gem");
        assertThat(json.at("/training/loss").asText()).isEqualTo("mvp");
        assertThat(json.at("/training/lossParameters/margin").asText()).isEqualTo("0.3");
        assertThat(json.at("/training/datasetFingerprint").asText()).isEqualTo("sha256:abc");
        assertThat(json.at("/training/seed").asLong()).isEqualTo(42L);
        assertThat(json.at("/evaluation/mAP").asDouble()).isEqualTo(0.4);
        assertThat(json.at("/evaluation/mINP").asDouble()).isEqualTo(0.125);
        assertThat(json.at("/evaluation/rank10").asDouble()).isEqualTo(0.875);
        assertThat(json.at("/files/weights.params").asText()).hasSize(64);
        assertThat(ModelArtifact.readManifest(dir).training().epochs()).isEqualTo(3);
    }

    @Test
    void tamperedWeightsAreRefusedNamingTheFile() throws IOException {
        Path dir = tmp.resolve("model");
        ModelArtifact.write(dir, net, manifest());
        Path weights = dir.resolve(ModelArtifact.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 3] ^= 1;
        Files.write(weights, bytes);
        assertThatThrownBy(() -> ModelArtifact.load(dir))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining(weights.toString());
        Path zip = tmp.resolve("tampered.zip");
        ModelArtifact.zip(dir, zip);
        assertThatThrownBy(() -> ModelArtifact.load(zip))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("tampered.zip!weights.params");
    }

    @Test
    void unknownFormatVersionIsRefused() throws IOException {
        Path dir = tmp.resolve("model");
        ModelArtifact.write(dir, net, manifest());
        Path manifestFile = dir.resolve(ModelArtifact.MANIFEST);
        ObjectMapper json = new ObjectMapper();
        ObjectNode tree = (ObjectNode) json.readTree(manifestFile.toFile());
        tree.put("formatVersion", 3);
        json.writeValue(manifestFile.toFile(), tree);
        assertThatThrownBy(() -> ModelArtifact.load(dir))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("unknown format version 3")
                .hasMessageContaining(manifestFile.toString());
    }

    @Test
    void aZipThatInflatesPastTheLimitIsRefusedWhileReading() throws IOException {
        // 8 MiB of zeros deflates to a few kB: the bytes are counted as they inflate.
        Path bomb = tmp.resolve("bomb.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new java.util.zip.ZipEntry(ModelArtifact.MANIFEST));
            zip.write("{}".getBytes());
            zip.putNextEntry(new java.util.zip.ZipEntry(ModelArtifact.WEIGHTS));
            zip.write(new byte[8 << 20]);
        }
        assertThat(Files.size(bomb)).isLessThan(100_000);
        var noRatio = new org.reid.core.zip.ZipLimits(1 << 20, 1 << 20, 16, Integer.MAX_VALUE);
        assertThatThrownBy(() -> ModelArtifact.readZip(bomb, noRatio))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("inflates to more than 1048576 bytes")
                .hasMessageContaining(ModelArtifact.WEIGHTS);
        assertThat(ModelArtifact.readZip(bomb, new org.reid.core.zip.ZipLimits(9 << 20, 9 << 20, 16, Integer.MAX_VALUE)))
                .containsKeys(ModelArtifact.MANIFEST, ModelArtifact.WEIGHTS);
    }

    @Test
    void aZipWhoseWeightsInflateAThousandfoldIsRefusedByItsRatioLongBeforeTheByteLimit() throws IOException {
        // 4 MiB of zeros deflates to ~4 kB: under the 1 GiB limit, but no trained network compresses so
        Path bomb = tmp.resolve("ratio-bomb.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new java.util.zip.ZipEntry(ModelArtifact.MANIFEST));
            zip.write("{}".getBytes());
            zip.putNextEntry(new java.util.zip.ZipEntry(ModelArtifact.WEIGHTS));
            zip.write(new byte[4 << 20]);
        }
        assertThatThrownBy(() -> ModelArtifact.readManifest(bomb))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("inflates more than 100 times its compressed size")
                .hasCauseInstanceOf(org.reid.core.zip.ZipLimitException.class);
        // the limits are the caller's: a lower byte cap is named as such
        assertThatThrownBy(() -> ModelArtifact.readManifest(bomb, new org.reid.core.zip.ZipLimits(1 << 16, 1 << 16, 16, 100_000)))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("the limit is 65536 bytes");
    }

    @Test
    void aZipOfManyFilesIsRefused() throws IOException {
        Path many = tmp.resolve("many.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(many))) {
            for (int i = 0; i < 17; i++) {
                zip.putNextEntry(new java.util.zip.ZipEntry("f" + i));
                zip.write(1);
            }
        }
        assertThatThrownBy(() -> ModelArtifact.readManifest(many))
                .isInstanceOf(InvalidArtifactException.class).hasMessageContaining("more than 16 files");
    }

    @Test
    void formatVersionOneArtifactsStillLoad() throws IOException {
        // Artifacts written before imported models existed have no format, order, range or
        // output fields: they read as our own RGB [0, 1] networks and embed as before.
        Path dir = tmp.resolve("model");
        ModelArtifact.write(dir, net, manifest());
        Path manifestFile = dir.resolve(ModelArtifact.MANIFEST);
        ObjectMapper json = new ObjectMapper();
        ObjectNode tree = (ObjectNode) json.readTree(manifestFile.toFile());
        tree.put("formatVersion", 1);
        ObjectNode architecture = (ObjectNode) tree.get("architecture");
        architecture.remove(List.of("format", "bgr", "pixelRange", "outputIndex", "normalized", "maxBatch"));
        json.writeValue(manifestFile.toFile(), tree);
        try (Embedder embedder = ModelArtifact.load(dir)) {
            assertThat(embedder.manifest().formatVersion()).isEqualTo(1);
            assertThat(embedder.manifest().architecture()).isEqualTo(manifest().architecture());
            assertThat(embedder.preprocessing()).isEqualTo(PRE);
        }
    }

    @Test
    void missingOrMalformedPartsAreRefused() throws IOException {
        Path dir = tmp.resolve("model");
        ModelArtifact.write(dir, net, manifest());
        Files.delete(dir.resolve(ModelArtifact.WEIGHTS));
        assertThatThrownBy(() -> ModelArtifact.load(dir))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("weights.params is listed in manifest.json but missing");
        Files.writeString(dir.resolve(ModelArtifact.MANIFEST), "{\"formatVersion\": 1, \"model\": {}}");
        assertThatThrownBy(() -> ModelArtifact.load(dir))
                .isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> ModelArtifact.load(tmp.resolve("nothing-here")))
                .isInstanceOf(InvalidArtifactException.class);
    }

    @Test
    void writeRefusesAManifestThatDoesNotDescribeTheNetworkOrANonEmptyDirectory() throws IOException {
        Manifest wrong = Manifest.of(manifest().model(),
                Manifest.Architecture.of(CONFIG.withInput(64, 32), Preprocessing.imagenet(64, 32)),
                manifest().training(), manifest().evaluation());
        assertThatThrownBy(() -> ModelArtifact.write(tmp.resolve("a"), net, wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not describe");
        Path dir = tmp.resolve("b");
        ModelArtifact.write(dir, net, manifest());
        assertThatThrownBy(() -> ModelArtifact.write(dir, net, manifest()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty");
        assertThatThrownBy(() -> new Manifest.Evaluation("val", 94.5, 0.9, 0.9, 0.8, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("evaluation.rank1");
    }
}
