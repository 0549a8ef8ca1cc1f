package org.reid.core.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.ConstantInitializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** torch.optim.SGD(momentum, weight_decay) semantics, checked by hand on a loss with known gradients. */
class FusedSgdTest {

    private static Parameter parameter(NDManager m, String name, Parameter.Type type, float value) {
        Parameter p = Parameter.builder().setName(name).setType(type).optShape(new Shape(2))
                .optInitializer(new ConstantInitializer(value)).build();
        p.initialize(m, DataType.FLOAT64);
        p.getArray().setRequiresGradient(true);
        return p;
    }

    /** Loss = sum(c * w): the gradient of every element is c. */
    private static void backward(Parameter w, Parameter b, double c) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = w.getArray().mul(w.getArray().getManager().create(c)).sum()
                    .add(b.getArray().mul(b.getArray().getManager().create(c)).sum());
            gc.backward(loss);
        }
    }

    @Test
    void followsTorchSgdWithMomentumAndWeightDecay() {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter w = parameter(m, "weight", Parameter.Type.WEIGHT, 1.0f);
            Parameter b = parameter(m, "bias", Parameter.Type.BIAS, 1.0f);
            try (FusedSgd sgd = new FusedSgd(List.of(w, b), 0.9f, 0.1f, Map.of(b.getId(), 2f), FusedAdam.allButWeights())) {
                // By hand: w decayed (wd 0.1), b not, b at 2x the rate; lr 0.5; gradient c.
                double vw = 0;
                double vb = 0;
                double ew = 1;
                double eb = 1;
                double[] cs = {1.0, -2.0, 0.5};
                for (int t = 0; t < cs.length; t++) {
                    backward(w, b, cs[t]);
                    sgd.step(0.5f);
                    double gw = cs[t] + 0.1 * ew;
                    double gb = cs[t];
                    vw = t == 0 ? gw : 0.9 * vw + gw;
                    vb = t == 0 ? gb : 0.9 * vb + gb;
                    ew -= 0.5 * vw;
                    eb -= 1.0 * vb;
                    assertThat(w.getArray().toDoubleArray()[0]).isCloseTo(ew, within(1e-6));
                    assertThat(b.getArray().toDoubleArray()[1]).isCloseTo(eb, within(1e-6));
                }
                assertThat(sgd.steps()).isEqualTo(3);
            }
        }
    }

    @Test
    void stateRoundTripsAndForeignStateIsRefused() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Parameter w = parameter(m, "weight", Parameter.Type.WEIGHT, 1.0f);
            Parameter b = parameter(m, "bias", Parameter.Type.BIAS, 1.0f);
            try (FusedSgd sgd = new FusedSgd(List.of(w, b), 0.9f, 0f, Map.of(), p -> false)) {
                backward(w, b, 1.0);
                sgd.step(0.1f);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                sgd.save(new DataOutputStream(bytes));
                sgd.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                assertThat(sgd.steps()).isEqualTo(1);
                assertThatThrownBy(() -> sgd.load(new DataInputStream(new ByteArrayInputStream(new byte[] {0, 0, 0, 1}))))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("optimizer");
            }
            assertThatThrownBy(() -> new FusedSgd(List.of(), 1.5f, 0f, Map.of(), p -> false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("momentum");
        }
    }
}
