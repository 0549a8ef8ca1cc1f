package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.reid.core.loss.LossTestSupport.assertClose;
import static org.reid.core.loss.LossTestSupport.centralDifferences;
import static org.reid.core.loss.LossTestSupport.labels;
import static org.reid.core.loss.LossTestSupport.matrix;
import static org.reid.core.loss.LossTestSupport.scalar;
import static org.reid.core.loss.LossTestSupport.toMatrix;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reid.core.loss.miner.MinedTripletScatter;
import org.reid.core.testing.NDManagerPerTest;

class EphnTripletLossTest extends NDManagerPerTest {
    private static double[] unit(double degrees) {
        double r = Math.toRadians(degrees);
        return new double[] {Math.cos(r), Math.sin(r)};
    }

    private double value(MetricLoss loss, double[][] f, long... ids) {
        return scalar(loss.evaluate(matrix(manager, f), labels(manager, ids)));
    }

    /**
     * On the unit circle: identity 0 at 0 and 60 degrees, identity 1 at 30 and 180 degrees.
     * Anchors 0 and 1 get S_ap = cos 60 = 1/2 and S_an = cos 30 = sqrt(3)/2; anchors 2 and 3 have
     * their only positive at 150 degrees (S_ap < 0) and are left out, as the authors' code does.
     */
    private static final double[][] CIRCLE = {unit(0), unit(60), unit(30), unit(180)};
    private static final long[] CIRCLE_IDS = {0, 0, 1, 1};
    private static final double SAP = 0.5;
    private static final double SAN = Math.sqrt(3) / 2;

    @Test
    void handComputedFirstOrder() {
        assertThat(value(new NcaTripletLoss(1.0), CIRCLE, CIRCLE_IDS))
                .isCloseTo(Math.log(1 + Math.exp(SAN - SAP)), within(1e-12));
        assertThat(value(new NcaTripletLoss(0.1), CIRCLE, CIRCLE_IDS))
                .isCloseTo(Math.log(1 + Math.exp((SAN - SAP) / 0.1)), within(1e-12));
    }

    @Test
    void handComputedSecondOrder() {
        // z_p = 1/2 - 1/8 = 3/8 and z_n = (3/4)/2 = 3/8: the two logits tie, L = log 2 at any sigma.
        assertThat(value(new SecondOrderTripletLoss(1.0), CIRCLE, CIRCLE_IDS)).isCloseTo(Math.log(2), within(1e-12));
        assertThat(value(new SecondOrderTripletLoss(0.1), CIRCLE, CIRCLE_IDS)).isCloseTo(Math.log(2), within(1e-12));
    }

    @Test
    void embeddingsAreNormalisedFirst() {
        double[][] scaled = new double[CIRCLE.length][];
        double[] scale = {3, 0.5, 7, 2};
        for (int i = 0; i < CIRCLE.length; i++) {
            scaled[i] = new double[] {CIRCLE[i][0] * scale[i], CIRCLE[i][1] * scale[i]};
        }
        assertThat(value(new NcaTripletLoss(), scaled, CIRCLE_IDS))
                .isCloseTo(value(new NcaTripletLoss(), CIRCLE, CIRCLE_IDS), within(1e-12));
    }

    @Test
    void scatterShowsTheMinedTripletsAndWhichAnchorsWereKept() {
        MinedTripletScatter s = new NcaTripletLoss().scatter(matrix(manager, CIRCLE), labels(manager, CIRCLE_IDS));
        assertThat(s.kept()).containsExactly(true, true, false, false);
        double c150 = Math.cos(Math.toRadians(150));
        assertThat(s.positiveSimilarity()).containsExactly(new double[] {SAP, SAP, c150, c150}, within(1e-12));
        // Anchor 3 (180 degrees): negatives at 0 (cos 180) and 60 (cos 120): the closest is -1/2.
        assertThat(s.negativeSimilarity()).containsExactly(new double[] {SAN, SAN, SAN, -0.5}, within(1e-12));
    }

    @Test
    void aDuplicatePositiveIsSkipped() {
        // Anchor 0 has an exact duplicate (sample 1) and another positive at 40 degrees.
        double[][] f = {unit(0), unit(0), unit(40), unit(90)};
        MinedTripletScatter s = new NcaTripletLoss().scatter(matrix(manager, f), labels(manager, 0, 0, 0, 1));
        assertThat(s.positiveSimilarity()[0]).isCloseTo(Math.cos(Math.toRadians(40)), within(1e-12));
        assertThat(s.positiveSimilarity()[1]).isCloseTo(Math.cos(Math.toRadians(40)), within(1e-12));
    }

    @Test
    void noKeptAnchorGivesAnExactZeroWithAZeroGradientNotNaN() {
        // Every positive pair is opposite (S_ap = -1): no anchor is kept.
        double[][] f = {unit(0), unit(180), unit(90), unit(270)};
        for (MetricLoss loss : new MetricLoss[] {new NcaTripletLoss(), new SecondOrderTripletLoss()}) {
            NDArray x = matrix(manager, f);
            x.setRequiresGradient(true);
            double v;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.evaluate(x, labels(manager, 0, 0, 1, 1));
                v = scalar(l);
                gc.backward(l);
            }
            assertThat(v).isEqualTo(0.0);
            assertThat(LossTestSupport.maxAbs(toMatrix(x.getGradient()))).isEqualTo(0.0);
        }
    }

    @Test
    void anAllZeroEmbeddingGivesAFiniteGradient() {
        // A dead feature row (all zeros after ReLU and pooling) has no direction; it must not
        // poison the step with NaN through the normalisation's square root.
        double[][] f = {unit(0), unit(60), {0, 0}, unit(180), unit(20), unit(200)};
        for (MetricLoss loss : new MetricLoss[] {new NcaTripletLoss(), new SecondOrderTripletLoss()}) {
            NDArray x = matrix(manager, f);
            x.setRequiresGradient(true);
            double v;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = loss.evaluate(x, labels(manager, 0, 0, 1, 1, 2, 2));
                v = scalar(l);
                gc.backward(l);
            }
            assertThat(v).isFinite();
            for (double[] row : toMatrix(x.getGradient())) {
                for (double g : row) {
                    assertThat(g).isFinite();
                }
            }
        }
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> new NcaTripletLoss(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigma");
        assertThatThrownBy(() -> new SecondOrderTripletLoss(new LossParams("ephn-2nd", Map.of("sigma", "-1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sigma");
        assertThatThrownBy(() -> value(new NcaTripletLoss(), new double[][] {{1, 0}, {Double.POSITIVE_INFINITY, 0},
                {0, 1}, {0, 2}}, 0, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> value(new SecondOrderTripletLoss(), CIRCLE, 0, 1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no positive pair");
    }

    @Test
    void paramsAreReadWithTheirDefaults() {
        LossParams p = new LossParams(NcaTripletLoss.NAME, Map.of("sigma", "0.5"));
        assertThat(new NcaTripletLoss(p).sigma()).isEqualTo(0.5);
        p.rejectUnknown();
        assertThat(p.knownKeys()).containsExactly("sigma");
        assertThat(new SecondOrderTripletLoss(LossParams.empty(SecondOrderTripletLoss.NAME)).sigma()).isEqualTo(0.1);
    }

    private static final long[] IDS = {0, 0, 0, 1, 1, 2, 2, 2};

    /** Unit vectors around three nearby class centres: most anchors kept, some triplets wrong. */
    private static double[][] clusteredUnitVectors(long seed, boolean normalise) {
        Random r = new Random(seed);
        int dim = 4;
        double[][] centres = LossTestSupport.gaussian(seed + 1, 3, dim, 1.0);
        double[] common = {0.5, 0, 0, 0};
        double[][] f = new double[IDS.length][dim];
        for (int i = 0; i < IDS.length; i++) {
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                f[i][k] = common[k] + 0.8 * centres[(int) IDS[i]][k] + 0.6 * r.nextGaussian();
                norm += f[i][k] * f[i][k];
            }
            if (i == 4) {
                // Identity 1's two samples point opposite ways: both anchors lose their positive.
                norm = 0;
                for (int k = 0; k < dim; k++) {
                    f[i][k] = -f[3][k] + 0.1 * r.nextGaussian();
                    norm += f[i][k] * f[i][k];
                }
            }
            double scale = normalise ? 1 / Math.sqrt(norm) : 1 + r.nextDouble();
            for (int k = 0; k < dim; k++) {
                f[i][k] *= scale;
            }
        }
        return f;
    }

    @ParameterizedTest(name = "order {0}, sigma {1}")
    @CsvSource({"1, 1.0", "1, 0.1", "2, 1.0", "2, 0.1"})
    void autogradMatchesThePapersClosedFormGradient(int order, double sigma) {
        double[][] f = clusteredUnitVectors(5, true);
        MetricLoss loss = order == 1 ? new NcaTripletLoss(sigma) : new SecondOrderTripletLoss(sigma);
        NDArray x = matrix(manager, f);
        x.setRequiresGradient(true);
        double v;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.evaluate(x, labels(manager, IDS));
            v = scalar(l);
            gc.backward(l);
        }
        PaperGradient expected = paperGradient(f, order, sigma);
        assertThat(expected.kept).as("test needs kept anchors").isGreaterThan(2);
        assertThat(expected.kept).as("test needs a dropped anchor too").isLessThan(IDS.length);
        assertThat(v).isCloseTo(expected.loss, within(1e-12));
        assertClose(toMatrix(x.getGradient()), expected.gradient, 1e-12);
    }

    @ParameterizedTest(name = "order {0}")
    @CsvSource({"1", "2"})
    void autogradMatchesCentralFiniteDifferencesInFloat64(int order) {
        double[][] f = clusteredUnitVectors(9, false);
        MetricLoss loss = order == 1 ? new NcaTripletLoss() : new SecondOrderTripletLoss();
        NDArray x = matrix(manager, f);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.evaluate(x, labels(manager, IDS)));
        }
        double[][] numeric = centralDifferences(g -> value(loss, g, IDS), f, 1e-6);
        assertThat(LossTestSupport.maxAbs(numeric)).isGreaterThan(1e-3);
        assertClose(toMatrix(x.getGradient()), numeric, 1e-7);
    }

    private record PaperGradient(double loss, double[][] gradient, int kept) {}

    /**
     * Mines on the host with the authors' rules, then applies eq. (4)-(6) (first order) or
     * (13)-(15) (second order) with the temperature: dL/dS_ap = -b w_ap, dL/dS_an = b w_an,
     * b = (1/sigma) exp(z_n) / (exp(z_p) + exp(z_n)), w = 1 (first order) or w_ap = 1 - S_ap,
     * w_an = S_an (second). For unit rows the gradient reaches the raw rows through the tangent
     * projection (I - f f^T) of the normalisation.
     */
    private static PaperGradient paperGradient(double[][] f, int order, double sigma) {
        int n = f.length;
        int dim = f[0].length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < dim; k++) {
                    s[i][j] += f[i][k] * f[j][k];
                }
            }
        }
        double[][] g = new double[n][dim];
        double loss = 0;
        int kept = 0;
        double[][] contributions = new double[n][3];
        int[][] triplets = new int[n][];
        for (int a = 0; a < n; a++) {
            int p = -1;
            int q = -1;
            for (int j = 0; j < n; j++) {
                if (j != a && IDS[j] == IDS[a] && s[a][j] <= 0.9999 && (p < 0 || s[a][j] > s[a][p])) {
                    p = j;
                }
                if (IDS[j] != IDS[a] && (q < 0 || s[a][j] > s[a][q])) {
                    q = j;
                }
            }
            if (p < 0 || q < 0 || s[a][p] <= 0 || s[a][q] <= 0) {
                continue;
            }
            kept++;
            double sap = s[a][p];
            double san = s[a][q];
            double zp = (order == 1 ? sap : sap - sap * sap / 2) / sigma;
            double zn = (order == 1 ? san : san * san / 2) / sigma;
            loss += Math.log1p(Math.exp(zn - zp));
            double b = 1 / sigma / (1 + Math.exp(zp - zn));
            double wap = order == 1 ? 1 : 1 - sap;
            double wan = order == 1 ? 1 : san;
            triplets[a] = new int[] {p, q};
            contributions[a] = new double[] {-b * wap, b * wan};
        }
        double[][] hat = new double[n][dim];
        for (int a = 0; a < n; a++) {
            if (triplets[a] == null) {
                continue;
            }
            int p = triplets[a][0];
            int q = triplets[a][1];
            double dp = contributions[a][0] / kept;
            double dn = contributions[a][1] / kept;
            for (int k = 0; k < dim; k++) {
                hat[a][k] += dp * f[p][k] + dn * f[q][k];
                hat[p][k] += dp * f[a][k];
                hat[q][k] += dn * f[a][k];
            }
        }
        for (int i = 0; i < n; i++) {
            double radial = 0;
            for (int k = 0; k < dim; k++) {
                radial += hat[i][k] * f[i][k];
            }
            for (int k = 0; k < dim; k++) {
                g[i][k] = hat[i][k] - radial * f[i][k];
            }
        }
        return new PaperGradient(loss / kept, g, kept);
    }
}
