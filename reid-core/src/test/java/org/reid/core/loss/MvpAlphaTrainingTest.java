package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

/** The learnable alpha, in a model, is trained by a plain DJL Trainer like any weight. */
class MvpAlphaTrainingTest {

    @Test
    void aTrainerStepMovesAlphaByItsGradient() {
        MvpMatchingLoss loss = new MvpMatchingLoss(0.5, 4.0, true, 100f, false);
        float lr = 0.1f;
        try (Model model = Model.newInstance("mvp-alpha")) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(3).build())
                    .add(loss.parameterBlock()));
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, 5));
                NDArray x = LossTestSupport.matrix(trainer.getManager(), LossTestSupport.gaussian(7, 8, 5, 1.0))
                        .toType(DataType.FLOAT32, false);
                NDArray y = trainer.getManager().create(new long[] {0, 0, 0, 1, 1, 2, 2, 2});
                NDArray alpha = loss.alphaParameter().orElseThrow().getArray();
                double before = LossTestSupport.scalar(alpha);
                double gradient;
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(new NDList(x));
                    gc.backward(loss.evaluate(new NDList(y), out));
                }
                gradient = LossTestSupport.scalar(alpha.getGradient());
                trainer.step();
                double after = LossTestSupport.scalar(loss.alphaParameter().orElseThrow().getArray());

                assertThat(before).isCloseTo(0.5, within(1e-7));
                assertThat(gradient).isNotZero();
                // Plain SGD applies the base rate; the 100x multiplier is the optimiser set-up's job.
                assertThat(after).isCloseTo(before - lr * gradient, within(1e-6));
            }
        }
    }
}
