package org.reid.core.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reid.core.loss.distance.LpDistance;

/**
 * Gradients through constants must survive a garbage collection between forward and backward:
 * DJL's {@code mul(Number)} / {@code maximum(Number)} did not (see {@link SafeScalars}).
 */
class SafeScalarsTest {
    private static final double[][] X = {{0.3, -1.2, 0.5}, {1.1, 0.4, -0.7}, {-0.6, 0.9, 1.3}, {0.2, 0.1, -0.4}};

    private static double[] gradientAcrossGc(Function<NDArray, NDArray> f) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(x);
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                gc.backward(y);
            }
            return x.getGradient().toDoubleArray();
        }
    }

    @Test
    void scalarOperationsKeepTheirConstantForBackward() {
        double[] g = gradientAcrossGc(x -> SafeScalars.maximum(SafeScalars.div(SafeScalars.mul(x, 3), 2), 0).sum());
        for (int i = 0; i < X.length; i++) {
            for (int j = 0; j < X[0].length; j++) {
                assertThat(g[i * 3 + j]).isEqualTo(X[i][j] > 0 ? 1.5 : 0.0);
            }
        }
    }

    @Test
    void euclideanDistanceGradientMatchesClosedFormAcrossGc() {
        double[] plain = gradientAcrossGc(x -> LpDistance.euclidean().pairwise(x).sum());
        double[] squared = gradientAcrossGc(x -> LpDistance.squaredEuclidean().pairwise(x).sum());
        for (int i = 0; i < X.length; i++) {
            for (int k = 0; k < X[0].length; k++) {
                double expectPlain = 0;
                double expectSquared = 0;
                for (int j = 0; j < X.length; j++) {
                    double d = 0;
                    for (int m = 0; m < X[0].length; m++) {
                        d += (X[i][m] - X[j][m]) * (X[i][m] - X[j][m]);
                    }
                    d = Math.sqrt(d);
                    // sum over ordered pairs counts each pair twice
                    expectPlain += j == i ? 0 : 2 * (X[i][k] - X[j][k]) / d;
                    expectSquared += 4 * (X[i][k] - X[j][k]);
                }
                assertThat(plain[i * 3 + k]).isCloseTo(expectPlain, within(1e-12));
                assertThat(squared[i * 3 + k]).isCloseTo(expectSquared, within(1e-12));
            }
        }
    }

    @Test
    void float32StaysFloat32EvenForScalars() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray scalar = m.create(new float[] {1f, 2f}).sum();
            assertThat(SafeScalars.div(scalar, 3).getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
            assertThat(SafeScalars.mul(m.create(new float[] {1f}), 3).getDataType())
                    .isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32);
        }
    }
}
