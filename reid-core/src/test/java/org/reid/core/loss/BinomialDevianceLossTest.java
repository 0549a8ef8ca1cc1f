package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reid.core.testing.NDManagerPerTest;

/**
 * Binomial deviance ("A unified view", eq. 12) has no peer oracle (pytorch-metric-learning has no
 * such loss): its values are checked against small cases worked out by hand, whose expected
 * numbers were computed outside this code base (Python mpmath, 40 digits) from the closed forms
 * written next to them, never by re-running the loss's own formula here; its gradient is checked
 * against the paper's closed-form pair weights (eq. 13, 14) and central differences in float64.
 *
 * <p>Throughout, {@code sp(x) = log(1 + e^x)}, and per anchor i the loss is
 * {@code mean_{j in P_i} sp(alpha (gamma - s_ij)) + mean_{k in N_i} sp(beta (s_ik - gamma))}
 * (an empty set adds 0), averaged over the anchors.
 */
class BinomialDevianceLossTest extends NDManagerPerTest {
    private double value(MetricLoss loss, double[][] x, long[] labels) {
        return loss.evaluate(manager.create(x), manager.create(labels)).getDouble();
    }

    @Test
    void squareOfFourPointsByHand() {
        // Identities {0,1} and {2,3} on the unit circle at 0, 90, 180, 270 degrees: cosines are 0
        // for neighbours and -1 for opposite points. Every anchor sees one positive at s = 0 and
        // negatives at s = -1 and s = 0, so with the defaults alpha 2, beta 50, gamma 0.5 each
        // anchor, hence the mean, is
        //   sp(2 * 0.5) + (sp(50 * -1.5) + sp(50 * -0.5)) / 2 = sp(1) + (sp(-75) + sp(-25)) / 2
        //   = 1.313261687518222834 + (2.7e-33 + 1.3887943864964e-11) / 2 = 1.3132616875251668060
        double[][] x = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
        long[] labels = {0, 0, 1, 1};
        MetricLoss loss = new BinomialDevianceLoss(LossParams.empty("binomial"));
        assertThat(value(loss, x, labels)).isCloseTo(1.3132616875251668, within(1e-15));
    }

    @Test
    void unevenSetsAndOtherParametersByHand() {
        // Three samples of identity 5 (rows 0, 1, 2) and one of identity 9 (row 3), plain dot
        // products (normalize=false), alpha 1, beta 3, gamma 0.2. Similarities:
        //   s01 = 0.5, s02 = 0, s03 = -1, s12 = 0.5, s13 = 0.5, s23 = 2.
        // Positive terms sp(0.2 - s), negative terms sp(3 (s - 0.2)):
        //   anchor 0: (sp(-0.3) + sp(0.2)) / 2 + sp(-3.6)
        //   anchor 1: (sp(-0.3) + sp(-0.3)) / 2 + sp(0.9)
        //   anchor 2: (sp(0.2) + sp(-0.3)) / 2 + sp(5.4)
        //   anchor 3: no positive, 0 (not 0/0) + (sp(-3.6) + sp(0.9) + sp(5.4)) / 3
        // Mean over the 4 anchors = sp(0.2) / 4 + sp(-0.3) / 2 + (sp(-3.6) + sp(0.9) + sp(5.4)) / 3
        //   = 0.79813886938159184 / 4 + 0.55435524446852712 / 2
        //     + (0.026957093008208060 + 1.2411538747320878 + 5.4045064117992494) / 3
        //   = 2.7009181327595099557
        double[][] x = {{1, 0}, {0.5, 0.5}, {0, 1}, {-1, 2}};
        long[] labels = {5, 5, 5, 9};
        MetricLoss loss = PairLossInputTest.build("binomial", BinomialDevianceLoss::new,
                Map.of("alpha", "1", "beta", "3", "base", "0.2", "normalize", "false"));
        assertThat(value(loss, x, labels)).isCloseTo(2.7009181327595100, within(1e-14));
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
        // Identity 0 at angles 0 and 20 degrees, identity 1 at 30 and 150 degrees, cosine
        // similarity, defaults (alpha 2, beta 50, gamma 0.5). Write c(t) = cos(t degrees),
        // A(s) = sp(2 (0.5 - s)) and B(s) = sp(50 (s - 0.5)).
        // All pairs: anchor 0: A(c20) + (B(c30) + B(c150)) / 2; anchor 1: A(c20) + (B(c10) + B(c130)) / 2;
        //   anchor 2: A(c120) + (B(c30) + B(c10)) / 2; anchor 3: A(c120) + (B(c150) + B(c130)) / 2.
        //   With A(c20) = 0.34715637269078572, A(c120) = 2.1269280110429725, B(c30) = 18.301270200490257,
        //   B(c10) = 24.240387650640088, B(c150) = 2.2e-30, B(c130) = 1.5e-25, the mean is 11.872456654649465.
        // VTHM, epsilon 0.1 (keep positive j if s_ij - 0.1 < max_N s, negative k if s_ik + 0.1 > min_P s):
        //   anchor 0: c20 - 0.1 = 0.84 < c30 = 0.87 keeps (0,1); c30 + 0.1 = 0.97 > c20 = 0.94 keeps
        //             (0,2), c150 + 0.1 = -0.77 does not.
        //   anchor 1: 0.84 < c10 = 0.98 keeps (1,0); c10 + 0.1 > c20 keeps (1,2), c130 + 0.1 = -0.54 not.
        //   anchor 2: c120 - 0.1 = -0.6 < c10 keeps (2,3); c30 + 0.1 and c10 + 0.1 > c120 = -0.5 keep
        //             (2,0) and (2,1).
        //   anchor 3: -0.6 < max(c150, c130) = -0.64 fails; c150 + 0.1 = -0.77 and c130 + 0.1 = -0.54
        //             are not > -0.5: nothing, the anchor adds 0.
        //   Mean = (A(c20) + B(c30) + A(c20) + B(c10) + A(c120) + (B(c30) + B(c10)) / 2 + 0) / 4
        //   = 16.658431883280015.
        double[][] x = {{1, 0}, {Math.cos(Math.toRadians(20)), Math.sin(Math.toRadians(20))},
            {Math.cos(Math.toRadians(30)), Math.sin(Math.toRadians(30))},
            {Math.cos(Math.toRadians(150)), Math.sin(Math.toRadians(150))}};
        long[] labels = {0, 0, 1, 1};
        MetricLoss all = PairLossInputTest.build("binomial", BinomialDevianceLoss::new, Map.of());
        MetricLoss mined = PairLossInputTest.build("binomial", BinomialDevianceLoss::new, Map.of("mining", "true"));
        assertThat(value(all, x, labels)).isCloseTo(11.872456654649465, within(1e-12));
        assertThat(value(mined, x, labels)).isCloseTo(16.658431883280015, within(1e-12));
    }
}
