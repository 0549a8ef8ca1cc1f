package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Binomial deviance ("A unified view", eq. 12) has no peer oracle: it is checked on small cases
 * computed by hand, its gradient against the paper's closed-form pair weights (eq. 13, 14) and
 * against central differences in float64.
 */
class BinomialDevianceLossTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private double value(MetricLoss loss, double[][] x, long[] labels) {
        return loss.evaluate(manager.create(x), manager.create(labels)).getDouble();
    }

    @Test
    void squareOfFourPointsByHand() {
        // Identities {0,1} and {2,3} on the unit circle at 0, 90, 180, 270 degrees: cosines are
        // 0 for neighbours and -1 for opposite points. Every anchor sees one positive at s = 0 and
        // negatives at s = -1 and s = 0.
        double[][] x = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
        long[] labels = {0, 0, 1, 1};
        double alpha = 2;
        double beta = 50;
        double gamma = 0.5;
        double perAnchor = softplus(alpha * (gamma - 0)) + 0.5 * (softplus(beta * (-1 - gamma)) + softplus(beta * (0 - gamma)));
        MetricLoss loss = new BinomialDevianceLoss(LossParams.empty("binomial"));
        assertThat(value(loss, x, labels)).isCloseTo(perAnchor, within(1e-15));
        // = log(1 + e) + (log(1 + e^-75) + log(1 + e^-25)) / 2
        assertThat(perAnchor).isCloseTo(1.3132616875251668, within(1e-15));
    }

    @Test
    void unevenSetsAndOtherParametersByHand() {
        // Three samples of identity 5 (rows 0, 1, 2) and one of identity 9 (row 3), plain dot
        // products (normalize=false), alpha 1, beta 3, base 0.2.
        double[][] x = {{1, 0}, {0.5, 0.5}, {0, 1}, {-1, 2}};
        long[] labels = {5, 5, 5, 9};
        double a = 1;
        double b = 3;
        double g = 0.2;
        double[][] s = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                s[i][j] = x[i][0] * x[j][0] + x[i][1] * x[j][1];
            }
        }
        double total = 0;
        for (int i = 0; i < 4; i++) {
            double pos = 0;
            int np = 0;
            double neg = 0;
            int nn = 0;
            for (int j = 0; j < 4; j++) {
                if (j == i) {
                    continue;
                }
                if (labels[i] == labels[j]) {
                    pos += softplus(a * (g - s[i][j]));
                    np++;
                } else {
                    neg += softplus(b * (s[i][j] - g));
                    nn++;
                }
            }
            // row 3 has no positive: its positive term is 0, not 0/0
            total += (np == 0 ? 0 : pos / np) + neg / nn;
        }
        MetricLoss loss = PairLossInputTest.build("binomial", BinomialDevianceLoss::new,
                Map.of("alpha", "1", "beta", "3", "base", "0.2", "normalize", "false"));
        assertThat(value(loss, x, labels)).isCloseTo(total / 4, within(1e-15));
        // a hand check of one term: s_01 = 0.5, s_03 = -1
        assertThat(s[0][1]).isEqualTo(0.5);
        assertThat(s[0][3]).isEqualTo(-1.0);
    }

    @Test
    void gradientWithRespectToSimilaritiesIsThePapersPairWeights() {
        int n = 6;
        long[] labels = {1, 1, 1, 2, 2, 3};
        Random r = new Random(7);
        double[] s = new double[n * n];
        for (int i = 0; i < s.length; i++) {
            s[i] = 2 * r.nextDouble() - 1;
        }
        double alpha = 2;
        double beta = 50;
        double gamma = 0.5;
        BinomialDevianceLoss loss = new BinomialDevianceLoss(alpha, beta, gamma, null, true);
        NDArray sim = manager.create(s, new ai.djl.ndarray.types.Shape(n, n));
        NDArray embeddingsStandIn = manager.zeros(new ai.djl.ndarray.types.Shape(n, 2));
        BatchLabels batch = BatchLabels.of("binomial", manager.create(labels), embeddingsStandIn,
                BatchLabels.Requirement.ANY);
        sim.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.fromSimilarities(sim, batch.positiveMask(), batch.negativeMask()));
        }
        double[] grad = sim.getGradient().toDoubleArray();
        for (int i = 0; i < n; i++) {
            int np = 0;
            int nn = 0;
            for (int j = 0; j < n; j++) {
                if (j != i && labels[i] == labels[j]) {
                    np++;
                } else if (labels[i] != labels[j]) {
                    nn++;
                }
            }
            for (int j = 0; j < n; j++) {
                double sij = s[i * n + j];
                double expected;
                if (j == i) {
                    expected = 0;
                } else if (labels[i] == labels[j]) {
                    double e = Math.exp(alpha * (gamma - sij));
                    expected = -(1.0 / n) * (1.0 / np) * alpha * e / (1 + e); // eq. 13, sign: pulls s up
                } else {
                    double e = Math.exp(beta * (sij - gamma));
                    expected = (1.0 / n) * (1.0 / nn) * beta * e / (1 + e); // eq. 14
                }
                assertThat(grad[i * n + j]).as("dL/ds[%d][%d]", i, j).isCloseTo(expected, within(1e-14));
            }
        }
    }

    @Test
    void embeddingGradientMatchesClosedFormAndCentralDifferences() {
        int n = 6;
        int d = 4;
        long[] labels = {1, 1, 1, 2, 2, 3};
        Random r = new Random(11);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int k = 0; k < d; k++) {
                row[k] = r.nextGaussian();
            }
        }
        double alpha = 2;
        double beta = 5; // a moderate beta keeps the finite differences well conditioned
        double gamma = 0.3;
        BinomialDevianceLoss loss = new BinomialDevianceLoss(alpha, beta, gamma, null, true);

        NDArray xs = manager.create(x);
        xs.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.evaluate(xs, manager.create(labels)));
        }
        double[] autograd = xs.getGradient().toDoubleArray();

        // Closed form: G = dL/dS from eq. 13/14 (divided by m), S = Xh Xh^T with Xh the normalised
        // rows, so dL/dXh = (G + G^T) Xh, and through the normalisation
        // dL/dx_i = (g_i - (g_i . xh_i) xh_i) / ||x_i||.
        double[][] xh = new double[n][d];
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                norm[i] += x[i][k] * x[i][k];
            }
            norm[i] = Math.sqrt(norm[i]);
            for (int k = 0; k < d; k++) {
                xh[i][k] = x[i][k] / norm[i];
            }
        }
        double[][] gs = new double[n][n];
        for (int i = 0; i < n; i++) {
            int np = 0;
            int nn = 0;
            for (int j = 0; j < n; j++) {
                np += j != i && labels[i] == labels[j] ? 1 : 0;
                nn += labels[i] != labels[j] ? 1 : 0;
            }
            for (int j = 0; j < n; j++) {
                double sij = 0;
                for (int k = 0; k < d; k++) {
                    sij += xh[i][k] * xh[j][k];
                }
                if (j != i && labels[i] == labels[j]) {
                    double e = Math.exp(alpha * (gamma - sij));
                    gs[i][j] = -alpha * e / (1 + e) / np / n;
                } else if (labels[i] != labels[j]) {
                    double e = Math.exp(beta * (sij - gamma));
                    gs[i][j] = beta * e / (1 + e) / nn / n;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            double[] gi = new double[d];
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < d; k++) {
                    gi[k] += (gs[i][j] + gs[j][i]) * xh[j][k];
                }
            }
            double dot = 0;
            for (int k = 0; k < d; k++) {
                dot += gi[k] * xh[i][k];
            }
            for (int k = 0; k < d; k++) {
                double closedForm = (gi[k] - dot * xh[i][k]) / norm[i];
                assertThat(autograd[i * d + k]).as("closed form [%d][%d]", i, k).isCloseTo(closedForm, within(1e-13));
            }
        }

        // Central differences of the loss value itself.
        double h = 1e-6;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                double keep = x[i][k];
                x[i][k] = keep + h;
                double up = value(loss, x, labels);
                x[i][k] = keep - h;
                double down = value(loss, x, labels);
                x[i][k] = keep;
                double numeric = (up - down) / (2 * h);
                assertThat(autograd[i * d + k]).as("central difference [%d][%d]", i, k).isCloseTo(numeric, within(1e-8));
            }
        }
    }

    @Test
    void miningRestrictsBothSetsToInformativePairs() {
        // Identity 0 at angles 0 and 20 degrees, identity 1 at 30 and 150 degrees: for anchor 0 the
        // negative at 150 degrees (s = -0.87) is far below the hardest positive (s = 0.94) and is
        // not mined, while the one at 30 degrees (s = 0.87) is.
        double[][] x = {{1, 0}, {Math.cos(Math.toRadians(20)), Math.sin(Math.toRadians(20))},
            {Math.cos(Math.toRadians(30)), Math.sin(Math.toRadians(30))},
            {Math.cos(Math.toRadians(150)), Math.sin(Math.toRadians(150))}};
        long[] labels = {0, 0, 1, 1};
        MetricLoss all = PairLossInputTest.build("binomial", BinomialDevianceLoss::new, Map.of());
        MetricLoss mined = PairLossInputTest.build("binomial", BinomialDevianceLoss::new, Map.of("mining", "true"));
        double vAll = value(all, x, labels);
        double vMined = value(mined, x, labels);
        assertThat(vAll).isFinite().isPositive();
        assertThat(vMined).isFinite().isPositive();
        assertThat(vMined).isNotCloseTo(vAll, within(1e-6));
    }
}
