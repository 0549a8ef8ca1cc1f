package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.reid.core.loss.LossTestSupport.assertClose;
import static org.reid.core.loss.LossTestSupport.labels;
import static org.reid.core.loss.LossTestSupport.matrix;
import static org.reid.core.loss.LossTestSupport.scalar;
import static org.reid.core.loss.LossTestSupport.toMatrix;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reid.core.testing.NDManagerPerTest;

class LabelSmoothingCrossEntropyLossTest extends NDManagerPerTest {
    private double value(LabelSmoothingCrossEntropyLoss loss, double[][] logits, long... labels) {
        return scalar(loss.evaluate(matrix(manager, logits), labels(manager, labels)));
    }

    @Test
    void handComputedValues() {
        // Row 1: logits (0, ln 3) give softmax (1/4, 3/4); label 1, smoothing 0.1 over C = 2:
        // target (0.05, 0.95), loss 0.05 ln 4 + 0.95 ln(4/3).
        // Row 2: equal logits over 2 classes: softmax (1/2, 1/2), loss ln 2 whatever the target.
        double[][] logits = {{0, Math.log(3)}, {5, 5}};
        double row1 = 0.05 * Math.log(4) + 0.95 * Math.log(4.0 / 3);
        assertThat(value(new LabelSmoothingCrossEntropyLoss(0.1), logits, 1, 0))
                .isCloseTo((row1 + Math.log(2)) / 2, within(1e-12));
        // No smoothing: plain cross-entropy, -ln(3/4) for row 1.
        assertThat(value(new LabelSmoothingCrossEntropyLoss(0.0), logits, 1, 0))
                .isCloseTo((Math.log(4.0 / 3) + Math.log(2)) / 2, within(1e-12));
        // Full smoothing: the target is uniform, loss = mean of -(1/C) sum log softmax.
        assertThat(value(new LabelSmoothingCrossEntropyLoss(1.0), logits, 1, 0))
                .isCloseTo((0.5 * (Math.log(4) + Math.log(4.0 / 3)) + Math.log(2)) / 2, within(1e-12));
    }

    @Test
    void hugeLogitsStayFinite() {
        double v = value(new LabelSmoothingCrossEntropyLoss(), new double[][] {{1e4, -1e4, 0}}, 1);
        // log softmax of the labelled class is -2e4; smoothing spreads 0.1/3 on each class.
        double expected = -(0.9 + 0.1 / 3) * -2e4 - (0.1 / 3) * 0 - (0.1 / 3) * -1e4;
        assertThat(v).isCloseTo(expected, within(1e-8));
    }

    @Test
    void gradientIsSoftmaxMinusSmoothedTargetOverBatch() {
        double[][] logits = LossTestSupport.gaussian(3, 5, 4, 2.0);
        long[] y = {0, 3, 3, 1, 2};
        double eps = 0.1;
        NDArray x = matrix(manager, logits);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(new LabelSmoothingCrossEntropyLoss(eps).evaluate(x, labels(manager, y)));
        }
        double[][] expected = new double[5][4];
        for (int i = 0; i < 5; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits[i]) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (double v : logits[i]) {
                z += Math.exp(v - max);
            }
            for (int c = 0; c < 4; c++) {
                double q = eps / 4 + (c == y[i] ? 1 - eps : 0);
                expected[i][c] = (Math.exp(logits[i][c] - max) / z - q) / 5;
            }
        }
        assertClose(toMatrix(x.getGradient()), expected, 1e-14);
    }

    @Test
    void aSingleSampleOrOneClassIsEnough() {
        // Requirement ANY: no positive pair needed.
        assertThat(value(new LabelSmoothingCrossEntropyLoss(), new double[][] {{1, 2}}, 0)).isPositive();
    }

    @Test
    void badInputIsRejected() {
        LabelSmoothingCrossEntropyLoss loss = new LabelSmoothingCrossEntropyLoss();
        assertThatThrownBy(() -> value(loss, new double[][] {{1, 2, 3}, {1, 2, 3}}, 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 3").hasMessageContaining("[0, 3)");
        assertThatThrownBy(() -> value(loss, new double[][] {{1, 2, 3}}, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label -1");
        assertThatThrownBy(() -> value(loss, new double[][] {{1, Double.NaN}}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new LabelSmoothingCrossEntropyLoss(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smoothing");
        assertThatThrownBy(() -> new LabelSmoothingCrossEntropyLoss(
                new LossParams(LabelSmoothingCrossEntropyLoss.NAME, Map.of("smoothing", "-0.1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smoothing");
    }

    @Test
    void paramsAreReadWithTheirDefaults() {
        LossParams p = LossParams.empty(LabelSmoothingCrossEntropyLoss.NAME);
        assertThat(new LabelSmoothingCrossEntropyLoss(p).smoothing()).isEqualTo(0.1);
        assertThat(p.knownKeys()).containsExactly("smoothing");
    }
}
