package org.reid.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.data.ReidDataset;
import org.reid.core.eval.ReidMetrics;
import org.reid.core.loss.BatchLabels;
import org.reid.core.loss.MetricLoss;
import ai.djl.ndarray.NDArray;

/** Real DJL training of the small network on tiny colour-coded crops (seconds, CPU). */
class ReidTrainerTest {
    @TempDir
    static Path dir;
    static ReidDataset data;

    @BeforeAll
    static void generate() {
        data = TinyCrops.generate(dir.resolve("synth"), 16);
    }

    private static TrainingConfig config(String loss, Map<String, String> params, boolean idLoss) {
        return new TrainingConfig(loss, params, idLoss, 1.0, "small", 3, 4, 4, 64, 32, 1e-3, 5e-4, 0, "cosine", 1, 0,
                7, "cpu");
    }

    @Test
    void batchHardTrainingLowersTheLossAndBeatsTheUntrainedNetwork() {
        try (ReidTrainer trainer = new ReidTrainer(config("batch-hard", Map.of(), false), data.train(), Device.cpu())) {
            ReidMetrics before = trainer.evaluate(data.query(), data.gallery());
            List<Double> losses = new ArrayList<>();
            for (int epoch = 0; epoch < 6; epoch++) {
                losses.add(trainer.trainEpoch(epoch, step -> { }));
            }
            ReidMetrics after = trainer.evaluate(data.query(), data.gallery());
            assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0));
            assertThat(after.mAP()).isGreaterThan(before.mAP());
        }
    }

    @Test
    void mvpWithItsDefaultsLowersItsLossAndBeatsTheUntrainedNetwork() {
        // Issue 10: the defaults must fit the features this trainer produces, without tuning.
        try (ReidTrainer trainer = new ReidTrainer(config("mvp", Map.of(), false), data.train(), Device.cpu())) {
            var mvp = (org.reid.core.loss.MvpMatchingLoss) trainer.metricLoss();
            ReidMetrics before = trainer.evaluate(data.query(), data.gallery());
            List<Double> losses = new ArrayList<>();
            for (int epoch = 0; epoch < 6; epoch++) {
                losses.add(trainer.trainEpoch(epoch, step -> { }));
            }
            ReidMetrics after = trainer.evaluate(data.query(), data.gallery());
            assertThat(mvp.normalizes()).isTrue();
            assertThat(losses.get(losses.size() - 1)).isLessThan(0.8 * losses.get(0));
            assertThat(after.mAP()).isGreaterThan(before.mAP());
            assertThat(mvp.alpha()).isNotCloseTo(mvp.initialAlpha(), org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void mvpWithIdLossTrainsAndMovesAlpha() {
        // Raw features with margins at their scale, as before normalisation became the default.
        Map<String, String> params = Map.of("alpha", "0.5", "epsilon", "2", "normalize", "false");
        try (ReidTrainer trainer = new ReidTrainer(config("mvp", params, true), data.train(), Device.cpu())) {
            var mvp = (org.reid.core.loss.MvpMatchingLoss) trainer.metricLoss();
            double first = trainer.trainEpoch(0, step -> { });
            trainer.trainEpoch(1, step -> { });
            double last = trainer.trainEpoch(2, step -> { });
            assertThat(last).isLessThan(first);
            assertThat(mvp.alpha()).isNotEqualTo(0.5);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mvp", "proxy-nca"})
    void nativeArraysDoNotGrowWithSteps(String loss) {
        Map<String, String> params = Map.of();
        try (ReidTrainer trainer = new ReidTrainer(config(loss, params, true), data.train(), Device.cpu())) {
            trainer.trainEpoch(0, step -> { });
            int afterFirstEpoch = trainer.liveArrays();
            for (int epoch = 1; epoch < 4; epoch++) {
                trainer.trainEpoch(epoch, step -> { });
            }
            System.out.printf("%s: live NDArrays after epoch 1: %d, after epoch 4 (%d steps): %d%n", loss,
                    afterFirstEpoch, trainer.globalStep(), trainer.liveArrays());
            assertThat(trainer.liveArrays()).isEqualTo(afterFirstEpoch);
        }
    }

    @Test
    void sgdTrainsToo() {
        TrainingConfig sgd = new TrainingConfig("batch-hard", Map.of(), true, 1.0, "small", 3, 4, 4, 64, 32, 0.05, 5e-4,
                0, "cosine", 1, 0, 7, "cpu", "sgd");
        try (ReidTrainer trainer = new ReidTrainer(sgd, data.train(), Device.cpu())) {
            double first = trainer.trainEpoch(0, step -> { });
            trainer.trainEpoch(1, step -> { });
            double last = trainer.trainEpoch(2, step -> { });
            assertThat(last).isLessThan(first);
        }
    }

    @Test
    void aBatchWithLossExactlyZeroIsSkippedAndCounted() {
        // A loss that is exactly 0 but connected to the graph, as a satisfied triplet batch is.
        MetricLoss satisfied = new MetricLoss("satisfied") {
            @Override
            protected NDArray compute(NDArray embeddings, BatchLabels batch) {
                return embeddings.sum().mul(embeddings.getManager().zeros(new ai.djl.ndarray.types.Shape()));
            }
        };
        try (ReidTrainer trainer = new ReidTrainer(config("batch-hard", Map.of(), false), data.train(), Device.cpu(),
                satisfied)) {
            List<TrainingListener.StepResult> steps = new ArrayList<>();
            trainer.trainEpoch(0, steps::add);
            assertThat(steps).isNotEmpty().allMatch(TrainingListener.StepResult::skipped);
            assertThat(trainer.skippedSteps()).isEqualTo(steps.size());
        }
    }

    @Test
    void savedStateRestoresTheSameEmbeddings() throws Exception {
        TrainingConfig cfg = config("batch-hard", Map.of(), true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        float[][] expected;
        try (ReidTrainer trainer = new ReidTrainer(cfg, data.train(), Device.cpu())) {
            trainer.trainEpoch(0, step -> { });
            trainer.save(new DataOutputStream(bytes));
            expected = trainer.embed(data.query());
        }
        try (ReidTrainer restored = new ReidTrainer(cfg.withEpochs(5), data.train(), Device.cpu())) {
            restored.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            int afterFirstLoad = restored.liveArrays();
            restored.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            // The replaced arrays (parameter buffer, running statistics) are freed, not kept.
            assertThat(restored.liveArrays()).isEqualTo(afterFirstLoad);
            float[][] actual = restored.embed(data.query());
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).containsExactly(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(restored.globalStep()).isGreaterThan(0);
        }
    }
}
