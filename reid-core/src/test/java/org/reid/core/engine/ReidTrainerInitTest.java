package org.reid.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.data.ReidDataset;
import org.reid.core.image.Preprocessing;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.core.util.UnitVectors;

/** A trainer starts from the weights its config names: one of our artifacts, or random ones. */
class ReidTrainerInitTest {
    @TempDir
    static Path dir;
    static ReidDataset data;

    @BeforeAll
    static void generate() {
        data = TinyCrops.generate(dir.resolve("synth"), 12);
    }

    /** GeM pooling and no neck: the head of the artifact, not train's default, must be rebuilt. */
    private static TrainingConfig config(long seed, boolean idLoss, WeightsInit init) {
        return new TrainingConfig("batch-hard", Map.of(), idLoss, 1.0, "small", 1, 4, 4, 64, 32, 1e-3, 5e-4, 0,
                "cosine", 1, 0, seed, "cpu", "adam", "gem", "none", 0, init);
    }

    @Test
    void aTrainerInitialisedFromAnArtifactEmbedsAsTheArtifactDoes() throws Exception {
        Path artifact = dir.resolve("artifact");
        float[][] original;
        try (ReidTrainer source = new ReidTrainer(config(1, false, WeightsInit.none()), data.train(), Device.cpu())) {
            source.trainEpoch(0, step -> { }); // moves weights and BN statistics away from their start
            original = source.embed(data.query());
            Preprocessing pre = source.preprocessor().preprocessing();
            ModelArtifact.write(artifact, source.net(), Manifest.of(
                    new Manifest.ModelInfo("tiny", "1", "2026-12-05T00:00:00Z"),
                    Manifest.Architecture.of(source.net().config().withoutClassifier(), pre),
                    new Manifest.Training("batch-hard", Map.of(), "tiny", "f", 1, 1, "cpu", "test"),
                    new Manifest.Evaluation("tiny", 0, 0, 0, 0, 0)));
        }
        // Another seed and an ID head: the embedding part comes from the artifact, the classifier is new.
        WeightsInit init = WeightsInit.artifact(artifact, "tiny:1");
        try (ReidTrainer tuned = new ReidTrainer(config(9, true, init), data.train(), Device.cpu());
                ReidTrainer scratch = new ReidTrainer(config(9, true, WeightsInit.none()), data.train(), Device.cpu())) {
            assertThat(tuned.embed(data.query())).isDeepEqualTo(original);
            assertThat(scratch.embed(data.query())).isNotEqualTo(original);
            assertThat(tuned.net().hasClassifier()).isTrue();
            tuned.trainEpoch(0, step -> { }); // and it trains on: the optimiser holds the loaded parameters
            assertThat(tuned.embed(data.query())).isNotEqualTo(original);
        }
    }

    @Test
    void anImportedTorchScriptNetworkTrainsAndItsCheckpointRestoresIt() throws Exception {
        // The small re-ID network of scripts/fixtures/make_import_fixtures.py, 64x32 input.
        Path artifact = dir.resolve("imported");
        byte[] network;
        try (var in = ReidTrainerInitTest.class.getResourceAsStream("/fixtures/import/small-reid.pt")) {
            network = in.readAllBytes();
        }
        ModelArtifact.writeImported(artifact, network, Manifest.of(
                new Manifest.ModelInfo("small-reid", "1", "2026-12-05T00:00:00Z"),
                Manifest.Architecture.imported(org.reid.core.model.ModelFormat.TORCHSCRIPT, "small-reid", 64,
                        Preprocessing.imagenet(64, 32), 0, false, 0),
                new Manifest.Training("imported", Map.of(), "external", "unknown", 0, 0, "external", "test"), null));
        WeightsInit init = WeightsInit.imported(artifact, "small-reid:1");
        // Three epochs: a cosine schedule over one would have no learning rate left for the second.
        TrainingConfig config = new TrainingConfig("batch-hard", Map.of(), true, 1.0, "small-reid", 3, 4, 4, 64, 32,
                1e-3, 5e-4, 0, "cosine", 1, 0, 1, "cpu", "adam", null, null, 0, init);
        float[][] imported;
        try (var embedder = ModelArtifact.load(artifact)) {
            imported = new float[data.query().size()][];
            for (int i = 0; i < imported.length; i++) {
                imported[i] = UnitVectors.of(embedder.embed(org.reid.core.image.ImageDecoding.toDjl(
                        org.reid.core.image.ImageDecoding.decode(data.query().get(i).path()))));
            }
        }
        try (ReidTrainer trainer = new ReidTrainer(config, data.train(), Device.cpu())) {
            assertThat(trainer.net().importedEmbedding()).isPresent();
            float[][] start = trainer.embed(data.query());
            for (int i = 0; i < start.length; i++) {
                assertThat(start[i]).containsExactly(imported[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
            trainer.trainEpoch(0, step -> { });
            float[][] trained = trainer.embed(data.query());
            assertThat(trained).isNotEqualTo(start);
            java.io.ByteArrayOutputStream checkpoint = new java.io.ByteArrayOutputStream();
            trainer.save(new java.io.DataOutputStream(checkpoint));
            trainer.trainEpoch(1, step -> { });
            assertThat(trainer.embed(data.query())).isNotEqualTo(trained);
            trainer.load(new java.io.DataInputStream(new java.io.ByteArrayInputStream(checkpoint.toByteArray())));
            assertThat(trainer.embed(data.query())).isDeepEqualTo(trained);
            trainer.trainEpoch(1, step -> { }); // the restored tensors still train
            assertThat(trainer.embed(data.query())).isNotEqualTo(trained);
        }
    }

    @Test
    void aDamagedStartFailsTheTrainerNamingTheOption() throws Exception {
        Path notWeights = Files.writeString(dir.resolve("resnet50.safetensors"), "not tensors");
        TrainingConfig resnet = new TrainingConfig("batch-hard", Map.of(), false, 1.0, "resnet50", 1, 4, 4, 64, 32,
                1e-3, 5e-4, 0, "cosine", 1, 0, 1, "cpu", "adam", "avg", "bnneck", 0,
                WeightsInit.torchvisionResNet50(notWeights));
        assertThatThrownBy(() -> new ReidTrainer(resnet, data.train(), Device.cpu()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("init-weights " + notWeights)
                .hasMessageContaining("is not a safetensors file");
    }

    @Test
    void torchvisionWeightsNeedTheResNet50Backbone() {
        assertThatThrownBy(() -> new TrainingConfig("batch-hard", Map.of(), false, 1.0, "small", 1, 4, 4, 64, 32,
                1e-3, 5e-4, 0, "cosine", 1, 0, 1, "cpu", "adam", "avg", "bnneck", 0,
                WeightsInit.torchvisionResNet50(Path.of("resnet50.safetensors"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("init-weights").hasMessageContaining("backbone resnet50");
    }
}
