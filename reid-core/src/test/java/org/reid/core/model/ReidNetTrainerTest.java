package org.reid.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.IndexLoss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;
import org.reid.core.loss.LossParameterBlock;

/** The network inside a real DJL Trainer: what the training job will do, in miniature. */
class ReidNetTrainerTest {

    /** A stand-in metric loss that reads the feature (index 0) and the attached loss parameter. */
    private static final class FeatureNormLoss extends Loss {
        private final Parameter alpha;

        FeatureNormLoss(Parameter alpha) {
            super("feature-norm");
            this.alpha = alpha;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray a = alpha.getArray();
            return predictions.get(0).square().mean().sub(a).square();
        }
    }

    @Test
    void oneAdamStepUpdatesWeightsAndTheLossParameterButNotTheFrozenNeckShift() {
        Engine.getInstance().setRandomSeed(11);
        LossParameterBlock lossBlock = new LossParameterBlock();
        Parameter alpha = lossBlock.add("alpha", new Shape(1), new ConstantInitializer(0.25f), 1f);
        ReidNet net = new ReidNet(new ReidNetConfig(Backbone.SMALL, 0, Pooling.GEM, Neck.BNNECK, 4, 32, 16))
                .attachLossParameters(lossBlock);
        Loss loss = new SimpleCompositeLoss()
                .addLoss(new IndexLoss(Loss.softmaxCrossEntropyLoss(), 1, 0))
                .addLoss(new FeatureNormLoss(alpha));
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-2f)).optWeightDecays(5e-4f).build());
        try (Model model = Model.newInstance("reid-test");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, 3, 32, 16));
                Parameter gem = find(net, "pooling_p");
                Parameter beta = find(net, "neck_beta");
                Parameter stem = find(net, "backbone_01SequentialBlock_01Conv2d_weight");
                Parameter runningMean = find(net, "neck_runningMean");
                float[] stemBefore = stem.getArray().toFloatArray();
                float gemBefore = gem.getArray().getFloat(0);

                NDArray images = manager.randomNormal(new Shape(8, 3, 32, 16));
                NDArray labels = manager.create(new float[] {0, 0, 1, 1, 2, 2, 3, 3});
                Batch batch = new Batch(manager, new NDList(images), new NDList(labels), 8, null, null, 0, 1);
                EasyTrain.trainBatch(trainer, batch);
                trainer.step();

                assertThat(stem.getArray().toFloatArray()).isNotEqualTo(stemBefore);
                assertThat(gem.getArray().getFloat(0)).isNotEqualTo(gemBefore);
                assertThat(alpha.getArray().getFloat(0)).isNotEqualTo(0.25f);
                assertThat(beta.getArray().abs().max().getFloat()).isZero();
                assertThat(runningMean.getArray().abs().max().getFloat()).isPositive();
            }
        }
    }

    private static Parameter find(ReidNet net, String suffix) {
        return net.getParameters().stream()
                .filter(e -> e.getKey().endsWith(suffix))
                .map(ai.djl.util.Pair::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no parameter *" + suffix + " in " + net.getParameters().keys()));
    }
}
