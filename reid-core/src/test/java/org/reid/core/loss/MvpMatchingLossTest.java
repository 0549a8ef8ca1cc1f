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
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reid.core.testing.NDManagerPerTest;

class MvpMatchingLossTest extends NDManagerPerTest {
    private double value(MvpMatchingLoss loss, double[][] f, long... ids) {
        return scalar(loss.evaluate(matrix(manager, f), labels(manager, ids)));
    }

    @Test
    void handComputedBatchOfTwoPairs() {
        // 1-d points 0, 1 (identity 0) and 3, 5 (identity 1); squared distances d01 = 1, d23 = 4,
        // d02 = 9, d03 = 25, d12 = 4, d13 = 16. alpha = 0.5, margin alpha + epsilon = 10.5.
        // Positive graph: forced swaps 0-1 (weight 0.5) and 2-3 (3.5): L+ = (0.5+0.5+3.5+3.5)/4 = 2.
        // Negative graph: weights 10.5 - d: (0,2) 1.5, (0,3) 0, (1,2) 6.5, (1,3) 0, so rows 0,1 take
        // 0->3, 1->2 (6.5 beats 1.5), rows 2,3 take 2->1, 3->0: L- = (6.5 + 6.5)/4 = 3.25.
        MvpMatchingLoss loss = new MvpMatchingLoss(0.5, 10.0, false, 100f, false);
        double v = value(loss, new double[][] {{0}, {1}, {3}, {5}}, 0, 0, 1, 1);

        assertThat(v).isCloseTo(5.25, within(1e-12));
        MvpMatching m = loss.lastMatching().orElseThrow();
        assertThat(m.positivePartner()).containsExactly(1, 0, 3, 2);
        assertThat(m.negativePartner()).containsExactly(3, 2, 1, 0);
        assertThat(m.positiveLoss()).isCloseTo(2.0, within(1e-12));
        assertThat(m.negativeLoss()).isCloseTo(3.25, within(1e-12));
        assertThat(m.loss()).isCloseTo(v, within(1e-12));
        // Both positive pairs are farther apart than alpha; of the negatives 0->3 and 3->0 (d = 25)
        // lie beyond the margin 10.5, 1->2 and 2->1 (d = 4) inside it.
        assertThat(m.positiveActiveFraction()).isEqualTo(1.0);
        assertThat(m.negativeActiveFraction()).isEqualTo(0.5);
    }

    @Test
    void selfMatchesAreForbiddenByDefaultAndTheAuthorsGraphAllowsThem() {
        // Identity 0 at 0, 1, 2 and identity 1 at 10, 11, 12 on a line, alpha = 0, epsilon = 0.
        // Without self-matches each block is a 3-cycle: 1 + 1 + 4 = 6, L+ = 12/6 = 2.
        // With them the matching takes the far pair twice and leaves the middle sample alone:
        // 4 + 4 + 0 = 8 per block, L+ = 16/6.
        double[][] f = {{0}, {1}, {2}, {10}, {11}, {12}};
        long[] ids = {0, 0, 0, 1, 1, 1};

        MvpMatchingLoss ours = new MvpMatchingLoss(0, 0, false, 100f, false);
        assertThat(value(ours, f, ids)).isCloseTo(2.0, within(1e-12));
        int[] p = ours.lastMatching().orElseThrow().positivePartner();
        for (int i = 0; i < p.length; i++) {
            assertThat(p[i]).as("partner of %d", i).isNotEqualTo(i);
        }

        MvpMatchingLoss authors = new MvpMatchingLoss(0, 0, false, 100f, true);
        assertThat(value(authors, f, ids)).isCloseTo(16.0 / 6, within(1e-12));
        assertThat(authors.lastMatching().orElseThrow().positivePartner()).containsExactly(2, 1, 0, 5, 4, 3);
    }

    @Test
    void aSampleAloneWithItsIdentityIsMatchedToItselfAtZeroCost() {
        // Points 0, 1 (identity 0), 3 (identity 1), 5 (identity 2); alpha 0.5, margin 10.5.
        // L+ = (0.5 + 0.5 + 0 + 0)/4. Negative: rows 0,1 can only use columns 2,3: 0->3, 1->2 = 6.5;
        // rows 2,3 then use columns 0,1: 2->1 (10.5-4) + 3->0 (0) = 6.5. L- = 13/4.
        MvpMatchingLoss loss = new MvpMatchingLoss(0.5, 10.0, false, 100f, false);
        double v = value(loss, new double[][] {{0}, {1}, {3}, {5}}, 0, 0, 1, 2);

        assertThat(v).isCloseTo(0.25 + 3.25, within(1e-12));
        MvpMatching m = loss.lastMatching().orElseThrow();
        assertThat(m.positivePartner()).containsExactly(1, 0, 2, 3);
        assertThat(m.negativePartner()).containsExactly(3, 2, 1, 0);
        // The singletons' self-matches are no positive pairs: 2 edges, both active.
        assertThat(m.positiveEdges()).isEqualTo(2);
        assertThat(m.positiveActiveFraction()).isEqualTo(1.0);
    }

    @Test
    void byDefaultTheLossSeesL2NormalisedEmbeddingsSoItsMarginsHoldAtAnyFeatureScale() {
        double[][] f = LossTestSupport.gaussian(11, IDS.length, 3, 1.0);
        double[][] scaled = new double[f.length][];
        double[][] unit = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            double norm = Math.sqrt(java.util.Arrays.stream(f[i]).map(v -> v * v).sum());
            scaled[i] = java.util.Arrays.stream(f[i]).map(v -> 40 * v).toArray();
            unit[i] = java.util.Arrays.stream(f[i]).map(v -> v / norm).toArray();
        }
        MvpMatchingLoss normalised = new MvpMatchingLoss(0.2, 0.8, false, 1f, false, true);
        double onUnitRows = value(new MvpMatchingLoss(0.2, 0.8, false, 1f, false), unit, IDS);

        assertThat(normalised.normalizes()).isTrue();
        assertThat(value(normalised, f, IDS)).isCloseTo(onUnitRows, within(1e-9));
        assertThat(value(normalised, scaled, IDS)).isCloseTo(onUnitRows, within(1e-9));
        assertThat(new MvpMatchingLoss().normalizes()).isTrue();
    }

    @Test
    void oneIdentityHoldingMoreThanHalfTheBatchIsRejected() {
        MvpMatchingLoss loss = new MvpMatchingLoss();
        assertThatThrownBy(() -> value(loss, new double[][] {{0}, {1}, {2}, {3}}, 7, 7, 7, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("identity 7 holds 3 of the 4 samples");
    }

    @Test
    void badInputIsRejected() {
        MvpMatchingLoss fixed = new MvpMatchingLoss(1, 1, false, 1f, false);
        assertThatThrownBy(() -> value(fixed, new double[][] {{0}, {Double.NaN}, {2}, {3}}, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> value(fixed, new double[][] {{0}, {1}}, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one identity");
        assertThatThrownBy(() -> new MvpMatchingLoss(-1, 1, true, 100f, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new MvpMatchingLoss(new LossParams(MvpMatchingLoss.NAME, Map.of("epsilon", "-2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon");
        MvpMatchingLoss learnable = new MvpMatchingLoss();
        assertThatThrownBy(() -> value(learnable, new double[][] {{0}, {1}, {2}, {3}}, 0, 0, 1, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("parameterBlock()");
    }

    @Test
    void paramsAreReadWithTheirDefaults() {
        LossParams p = new LossParams(MvpMatchingLoss.NAME, Map.of("alpha", "3", "learn-alpha", "false"));
        MvpMatchingLoss loss = new MvpMatchingLoss(p);
        p.rejectUnknown();
        assertThat(p.knownKeys()).containsExactlyInAnyOrder(
                "alpha", "epsilon", "learn-alpha", "alpha-lr-multiplier", "self-match", "normalize");
        assertThat(loss.alpha()).isEqualTo(3.0);
        assertThat(loss.epsilon()).isEqualTo(MvpMatchingLoss.DEFAULT_EPSILON);
        assertThat(loss.learnsAlpha()).isFalse();
        assertThat(loss.allowsSelfMatch()).isFalse();
        assertThat(loss.parameterBlock().getParameters().isEmpty()).isTrue();

        MvpMatchingLoss defaults = new MvpMatchingLoss(LossParams.empty(MvpMatchingLoss.NAME));
        Parameter alpha = defaults.alphaParameter().orElseThrow();
        assertThat(defaults.parameterBlock().learningRateMultipliers()).containsEntry(alpha.getId(), 1f);
        assertThat(defaults.initialAlpha()).isEqualTo(0.05);
        assertThat(defaults.epsilon()).isEqualTo(0.25);
        assertThat(defaults.normalizes()).isTrue();

        // The authors' setting stays reachable by explicit parameters.
        MvpMatchingLoss authors = new MvpMatchingLoss(new LossParams(MvpMatchingLoss.NAME, Map.of("normalize", "false",
                "alpha", "0", "epsilon", "200", "alpha-lr-multiplier", "100", "self-match", "true")));
        assertThat(authors.normalizes()).isFalse();
        assertThat(authors.initialAlpha() + authors.epsilon()).isEqualTo(200.0);
        assertThat(authors.allowsSelfMatch()).isTrue();
        assertThatThrownBy(() -> new MvpMatchingLoss(new LossParams(MvpMatchingLoss.NAME, Map.of("normalize", "yes"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'normalize' must be true or false");
    }

    /** Labels [0,0,0,1,1,2,2,2], 3-d gaussian points: a mix of active and inactive matched edges. */
    private static final long[] IDS = {0, 0, 0, 1, 1, 2, 2, 2};
    private static final double ALPHA = 1.5;
    private static final double EPSILON = 4.0;

    @Test
    void autogradMatchesThePapersClosedFormGradients() {
        double[][] f = LossTestSupport.gaussian(11, IDS.length, 3, 1.0);
        MvpMatchingLoss loss = new MvpMatchingLoss(ALPHA, EPSILON, true, 100f, false);
        loss.parameterBlock().initialize(manager, DataType.FLOAT64, new Shape(1));
        NDArray x = matrix(manager, f);
        x.setRequiresGradient(true);
        NDArray alpha = loss.alphaParameter().orElseThrow().getArray();
        double value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray l = loss.evaluate(x, labels(manager, IDS));
            value = scalar(l);
            gc.backward(l);
        }
        MvpMatching m = loss.lastMatching().orElseThrow();
        ClosedForm expected = closedForm(f, m, ALPHA, EPSILON);

        assertThat(value).isCloseTo(expected.loss, within(1e-12));
        assertThat(expected.activePositive).as("test needs active positive edges").isGreaterThan(0);
        assertThat(expected.activeNegative).as("test needs active negative edges").isGreaterThan(0);
        assertThat(expected.activePositive + expected.activeNegative)
                .as("test needs inactive matched edges too").isLessThan(2 * IDS.length);
        assertClose(toMatrix(x.getGradient()), expected.gradF, 1e-12);
        // alpha really receives a gradient: (#active negative - #active positive) / B.
        double gradAlpha = scalar(alpha.getGradient());
        assertThat(gradAlpha).isCloseTo(expected.gradAlpha, within(1e-12));
        assertThat(gradAlpha).isNotZero();
    }

    @Test
    void autogradMatchesCentralFiniteDifferencesInFloat64() {
        double[][] f = LossTestSupport.gaussian(11, IDS.length, 3, 1.0);
        MvpMatchingLoss loss = new MvpMatchingLoss(ALPHA, EPSILON, true, 100f, false);
        loss.parameterBlock().initialize(manager, DataType.FLOAT64, new Shape(1));
        NDArray x = matrix(manager, f);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.evaluate(x, labels(manager, IDS)));
        }
        double[][] autograd = toMatrix(x.getGradient());
        double gradAlpha = scalar(loss.alphaParameter().orElseThrow().getArray().getGradient());
        MvpMatching at = loss.lastMatching().orElseThrow();

        double h = 1e-5;
        MvpMatchingLoss fixed = new MvpMatchingLoss(ALPHA, EPSILON, false, 100f, false);
        double[][] numeric = centralDifferences(g -> {
            double v = value(fixed, g, IDS);
            // The matched edges must not move under a small perturbation, or the comparison is void.
            // Compared as undirected edges: a 3-cycle and its reverse weigh exactly the same (d is
            // symmetric), so the solver may return either.
            assertThat(undirected(fixed.lastMatching().orElseThrow().positivePartner()))
                    .isEqualTo(undirected(at.positivePartner()));
            assertThat(undirected(fixed.lastMatching().orElseThrow().negativePartner()))
                    .isEqualTo(undirected(at.negativePartner()));
            return v;
        }, f, h);
        assertClose(autograd, numeric, 1e-7);

        double up = value(new MvpMatchingLoss(ALPHA + h, EPSILON, false, 1f, false), f, IDS);
        double down = value(new MvpMatchingLoss(ALPHA - h, EPSILON, false, 1f, false), f, IDS);
        assertThat(gradAlpha).isCloseTo((up - down) / (2 * h), within(1e-7));
    }

    @Test
    void aFloat32AlphaReceivesItsGradientThroughAFloat64Batch() {
        // The parameter lives in the model's type; the conversion must keep the autograd chain.
        double[][] f = LossTestSupport.gaussian(11, IDS.length, 3, 1.0);
        MvpMatchingLoss loss = new MvpMatchingLoss(ALPHA, EPSILON, true, 100f, false);
        loss.parameterBlock().initialize(manager, DataType.FLOAT32, new Shape(1));
        NDArray alpha = loss.alphaParameter().orElseThrow().getArray();
        NDArray x = matrix(manager, f);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.evaluate(x, labels(manager, IDS)));
        }
        double expected = closedForm(f, loss.lastMatching().orElseThrow(), ALPHA, EPSILON).gradAlpha;
        assertThat(alpha.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(scalar(alpha.getGradient())).isCloseTo(expected, within(1e-6));
        assertThat(loss.alpha()).isCloseTo(ALPHA, within(1e-6));
    }

    @Test
    void float32BatchGivesTheSameMatchingAndValue() {
        double[][] f = LossTestSupport.gaussian(11, IDS.length, 3, 1.0);
        MvpMatchingLoss loss = new MvpMatchingLoss(ALPHA, EPSILON, false, 1f, false);
        double v64 = value(loss, f, IDS);
        MvpMatching m64 = loss.lastMatching().orElseThrow();
        double v32 = scalar(loss.evaluate(matrix(manager, f).toType(DataType.FLOAT32, false), labels(manager, IDS)));
        assertThat(v32).isCloseTo(v64, within(1e-5));
        assertThat(loss.lastMatching().orElseThrow().positivePartner()).isEqualTo(m64.positivePartner());
        assertThat(loss.lastMatching().orElseThrow().negativePartner()).isEqualTo(m64.negativePartner());
    }

    private record ClosedForm(double loss, double[][] gradF, double gradAlpha, int activePositive, int activeNegative) {}

    /**
     * The paper's formulas: for a matched edge (i, j) with T = 1/B, dL/df_i = 2 (f_i - f_j) c and
     * dL/df_j = -2 (f_i - f_j) c with c = T delta+ on a positive edge and -T delta- on a negative
     * one; dL/dalpha = sum T (-delta+ on positives, +delta- on negatives).
     */
    private static ClosedForm closedForm(double[][] f, MvpMatching m, double alpha, double epsilon) {
        int n = f.length;
        int dim = f[0].length;
        double t = 1.0 / n;
        double[][] g = new double[n][dim];
        double loss = 0;
        double gradAlpha = 0;
        int activePos = 0;
        int activeNeg = 0;
        for (int i = 0; i < n; i++) {
            for (int side = 0; side < 2; side++) {
                int j = side == 0 ? m.positivePartner()[i] : m.negativePartner()[i];
                double d = 0;
                for (int k = 0; k < dim; k++) {
                    d += (f[i][k] - f[j][k]) * (f[i][k] - f[j][k]);
                }
                double c;
                if (side == 0) {
                    boolean active = d > alpha;
                    loss += t * Math.max(0, d - alpha);
                    c = active ? t : 0;
                    gradAlpha -= c;
                    activePos += active ? 1 : 0;
                } else {
                    boolean active = d < alpha + epsilon;
                    loss += t * Math.max(0, alpha + epsilon - d);
                    c = active ? -t : 0;
                    gradAlpha -= c;
                    activeNeg += active ? 1 : 0;
                }
                for (int k = 0; k < dim; k++) {
                    g[i][k] += 2 * (f[i][k] - f[j][k]) * c;
                    g[j][k] -= 2 * (f[i][k] - f[j][k]) * c;
                }
            }
        }
        return new ClosedForm(loss, g, gradAlpha, activePos, activeNeg);
    }

    /** The multiset of matched edges {i, partner(i)} with the smaller index first. */
    private static java.util.Map<java.util.List<Integer>, Long> undirected(int[] partner) {
        java.util.Map<java.util.List<Integer>, Long> edges = new java.util.TreeMap<>(
                java.util.Comparator.<java.util.List<Integer>>comparingInt(e -> e.get(0)).thenComparingInt(e -> e.get(1)));
        for (int i = 0; i < partner.length; i++) {
            edges.merge(java.util.List.of(Math.min(i, partner[i]), Math.max(i, partner[i])), 1L, Long::sum);
        }
        return edges;
    }
}
