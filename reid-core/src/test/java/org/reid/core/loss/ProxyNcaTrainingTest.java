package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The proxies train with the model when its parameter block is a child of the model's block. */
class ProxyNcaTrainingTest {

    @Test
    void trainerUpdatesTheProxiesAndLowersTheLoss() {
        ai.djl.engine.Engine.getInstance().setRandomSeed(42);
        ProxyNcaLoss loss = (ProxyNcaLoss) PairLossInputTest.build(ProxyNcaLoss.NAME, ProxyNcaLoss::new,
                Map.of("classes", "3", "embedding-dim", "4", "scale", "4"));
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(loss.parameterBlock());
        try (Model model = Model.newInstance("proxy-nca-test")) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(6, 5));
                NDManager manager = trainer.getManager();
                NDArray x = manager.randomNormal(new Shape(6, 5));
                NDArray labels = manager.create(new long[] {0, 0, 1, 1, 2, 2});
                float[] before = loss.proxies().getArray().toFloatArray();
                float first = 0;
                float last = 0;
                for (int step = 0; step < 20; step++) {
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList predictions = trainer.forward(new NDList(x));
                        NDArray value = loss.evaluate(new NDList(labels), predictions);
                        last = value.getFloat();
                        if (step == 0) {
                            first = last;
                        }
                        gc.backward(value);
                    }
                    trainer.step();
                }
                assertThat(loss.proxies().getArray().toFloatArray()).isNotEqualTo(before);
                assertThat(last).isLessThan(first);
            }
        }
    }
}
