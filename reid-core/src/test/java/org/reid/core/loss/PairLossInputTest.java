package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reid.core.testing.NDManagerPerTest;

/** Bad input, bad parameters and degenerate batches for the pair, triplet and proxy losses. */
class PairLossInputTest extends NDManagerPerTest {
    /** Builds a loss through the factory, as the training CLI does (the constructor is the check). */
    static MetricLoss build(String name, Function<LossParams, MetricLoss> ctor, Map<String, String> values) {
        return LossFactory.create(name, values);
    }

    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of(BatchHardTripletLoss.NAME, build(BatchHardTripletLoss.NAME, BatchHardTripletLoss::new, Map.of())),
                Arguments.of(BatchAllTripletLoss.NAME, build(BatchAllTripletLoss.NAME, BatchAllTripletLoss::new, Map.of())),
                Arguments.of(ContrastiveLoss.NAME, build(ContrastiveLoss.NAME, ContrastiveLoss::new, Map.of())),
                Arguments.of(GeneralizedLiftedStructureLoss.NAME,
                        build(GeneralizedLiftedStructureLoss.NAME, GeneralizedLiftedStructureLoss::new, Map.of())),
                Arguments.of(MultiSimilarityLoss.NAME, build(MultiSimilarityLoss.NAME, MultiSimilarityLoss::new, Map.of())),
                Arguments.of(BinomialDevianceLoss.NAME, build(BinomialDevianceLoss.NAME, BinomialDevianceLoss::new, Map.of())),
                Arguments.of(NPairsLoss.NAME, build(NPairsLoss.NAME, NPairsLoss::new, Map.of())),
                Arguments.of(NcaLoss.NAME, build(NcaLoss.NAME, NcaLoss::new, Map.of())),
                Arguments.of(ProxyNcaLoss.NAME, proxyNca(4, 3)));
    }

    static Stream<Arguments> pairLosses() {
        return losses().filter(a -> !a.get()[0].equals(ProxyNcaLoss.NAME));
    }

    static MetricLoss proxyNca(int classes, int dim) {
        ProxyNcaLoss loss = (ProxyNcaLoss) build(ProxyNcaLoss.NAME, ProxyNcaLoss::new,
                Map.of("classes", Integer.toString(classes), "embedding-dim", Integer.toString(dim)));
        return loss;
    }

    private NDArray embeddings(double[][] x) {
        return manager.create(x);
    }

    private static final double[][] FOUR = {{1, 0.2, 0.1}, {0.9, 0.1, 0.3}, {-0.5, 1, 0.2}, {-0.4, 0.8, -0.1}};

    private void initProxies(MetricLoss loss) {
        if (loss instanceof ProxyNcaLoss p && !p.proxies().isInitialized()) {
            p.initializeProxies(manager, DataType.FLOAT64);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void mismatchedShapesAreRejected(String name, MetricLoss loss) {
        initProxies(loss);
        assertThatThrownBy(() -> loss.evaluate(embeddings(FOUR), manager.create(new long[] {0, 0, 1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name).hasMessageContaining("labels must be [4]");
        assertThatThrownBy(() -> loss.evaluate(manager.create(new double[] {1, 2, 3, 4}), manager.create(new long[] {0, 0, 1, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[batch, dim]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void nanEmbeddingsAreRejected(String name, MetricLoss loss) {
        initProxies(loss);
        double[][] bad = {{1, 0.2, 0.1}, {0.9, Double.NaN, 0.3}, {-0.5, 1, 0.2}, {-0.4, 0.8, -0.1}};
        assertThatThrownBy(() -> loss.evaluate(embeddings(bad), manager.create(new long[] {0, 0, 1, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairLosses")
    void singleIdentityIsRejected(String name, MetricLoss loss) {
        assertThatThrownBy(() -> loss.evaluate(embeddings(FOUR), manager.create(new long[] {7, 7, 7, 7})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one identity");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairLosses")
    void batchWithoutPositivePairIsRejected(String name, MetricLoss loss) {
        assertThatThrownBy(() -> loss.evaluate(embeddings(FOUR), manager.create(new long[] {1, 2, 3, 4})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no positive pair");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void singletonIdentityBesidePairsGivesFiniteValueAndGradient(String name, MetricLoss loss) {
        initProxies(loss);
        double[][] five = {{1, 0.2, 0.1}, {0.9, 0.1, 0.3}, {-0.5, 1, 0.2}, {-0.4, 0.8, -0.1}, {0.1, -1, 0.5}};
        double[] grad = gradient(loss, five, new long[] {0, 0, 1, 1, 2});
        for (double g : grad) {
            assertThat(g).isFinite();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void float32BatchesWorkAndAgreeWithFloat64(String name, MetricLoss loss) {
        initProxies(loss);
        long[] labels = {0, 0, 1, 1};
        double v64 = loss.evaluate(embeddings(FOUR), manager.create(labels)).getDouble();
        NDArray x32 = embeddings(FOUR).toType(DataType.FLOAT32, true);
        NDArray out32 = loss.evaluate(x32, manager.create(labels));
        assertThat(out32.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat((double) out32.getFloat()).isCloseTo(v64, org.assertj.core.api.Assertions.within(1e-4 * Math.max(1, v64)));
    }

    @Test
    void proxyLabelOutOfRangeNamesLabelAndLimit() {
        MetricLoss loss = proxyNca(4, 3);
        initProxies(loss);
        assertThatThrownBy(() -> loss.evaluate(embeddings(FOUR), manager.create(new long[] {0, 1, 4, 2})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 4").hasMessageContaining("[0, 4)");
        assertThatThrownBy(() -> loss.evaluate(embeddings(FOUR), manager.create(new long[] {0, -1, 2, 2})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label -1");
    }

    @Test
    void proxyLossAcceptsAnyLabelledBatchButChecksDimensionAndInitialisation() {
        MetricLoss loss = proxyNca(4, 3);
        assertThatThrownBy(() -> loss.evaluate(embeddings(FOUR), manager.create(new long[] {0, 1, 2, 3})))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not initialised");
        initProxies(loss);
        // one sample per class and a single class are fine for a proxy loss
        assertThat(loss.evaluate(embeddings(FOUR), manager.create(new long[] {0, 1, 2, 3})).getDouble()).isFinite();
        assertThat(loss.evaluate(embeddings(FOUR), manager.create(new long[] {2, 2, 2, 2})).getDouble()).isFinite();
        assertThatThrownBy(() -> loss.evaluate(manager.create(new double[][] {{1, 2}, {3, 4}}), manager.create(new long[] {0, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 2")
                .hasMessageContaining("embedding-dim=3");
    }

    @Test
    void unknownAndInvalidParametersAreRejected() {
        assertThatThrownBy(() -> build("batch-hard", BatchHardTripletLoss::new, Map.of("margn", "0.3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown parameter(s) [margn]");
        assertThatThrownBy(() -> build("batch-hard", BatchHardTripletLoss::new, Map.of("margin", "-0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'margin'").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> build("batch-all", BatchAllTripletLoss::new, Map.of("distance", "cosine")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'distance'").hasMessageContaining("cosine");
        assertThatThrownBy(() -> build("batch-hard", BatchHardTripletLoss::new, Map.of("soft", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'soft'");
        assertThatThrownBy(() -> build("contrastive", ContrastiveLoss::new, Map.of("pos-margin", "1", "neg-margin", "0.5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neg-margin");
        assertThatThrownBy(() -> build("multi-similarity", MultiSimilarityLoss::new, Map.of("alpha", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'alpha'").hasMessageContaining("> 0");
        assertThatThrownBy(() -> build("multi-similarity", MultiSimilarityLoss::new, Map.of("epsilon", "-0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'epsilon'");
        assertThatThrownBy(() -> build("binomial", BinomialDevianceLoss::new, Map.of("beta", "abc")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'beta'").hasMessageContaining("abc");
        assertThatThrownBy(() -> build("nca", NcaLoss::new, Map.of("scale", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'scale'");
        assertThatThrownBy(() -> build("npair", NPairsLoss::new, Map.of("margin", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown parameter(s) [margin]");
        assertThatThrownBy(() -> build("proxy-nca", ProxyNcaLoss::new, Map.of("embedding-dim", "8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'classes'").hasMessageContaining("required");
        assertThatThrownBy(() -> build("proxy-nca", ProxyNcaLoss::new, Map.of("classes", "10")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'embedding-dim'");
        assertThatThrownBy(() -> build("proxy-nca", ProxyNcaLoss::new, Map.of("classes", "ten", "embedding-dim", "8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'classes'").hasMessageContaining("ten");
    }

    @Test
    void knownKeysAreTheDocumentedOnes() {
        assertThat(keys("batch-hard", BatchHardTripletLoss::new, Map.of()))
                .containsExactlyInAnyOrder("margin", "soft", "distance", "normalize");
        assertThat(keys("batch-all", BatchAllTripletLoss::new, Map.of()))
                .containsExactlyInAnyOrder("margin", "soft", "distance", "normalize");
        assertThat(keys("contrastive", ContrastiveLoss::new, Map.of()))
                .containsExactlyInAnyOrder("pos-margin", "neg-margin", "normalize");
        assertThat(keys("lifted", GeneralizedLiftedStructureLoss::new, Map.of()))
                .containsExactlyInAnyOrder("pos-margin", "neg-margin", "normalize");
        assertThat(keys("multi-similarity", MultiSimilarityLoss::new, Map.of()))
                .containsExactlyInAnyOrder("alpha", "beta", "base", "mining", "epsilon", "normalize");
        assertThat(keys("binomial", BinomialDevianceLoss::new, Map.of()))
                .containsExactlyInAnyOrder("alpha", "beta", "base", "mining", "epsilon", "normalize");
        assertThat(keys("npair", NPairsLoss::new, Map.of())).containsExactlyInAnyOrder("normalize");
        assertThat(keys("nca", NcaLoss::new, Map.of())).containsExactlyInAnyOrder("scale", "normalize");
        assertThat(keys("proxy-nca", ProxyNcaLoss::new, Map.of("classes", "3", "embedding-dim", "2")))
                .containsExactlyInAnyOrder("classes", "embedding-dim", "scale", "normalize");
    }

    private static java.util.Set<String> keys(String name, Function<LossParams, MetricLoss> ctor, Map<String, String> v) {
        LossParams p = new LossParams(name, v);
        ctor.apply(p);
        return p.knownKeys();
    }

    /** Two tight, far-apart clusters: every triplet and every margin is satisfied. */
    private static final double[][] SEPARATED = {
        {5, 0, 0}, {5.01, 0.02, 0}, {4.99, 0, 0.01}, {0, 5, 0}, {0.01, 5.02, 0}, {0, 4.98, 0.01}};
    private static final long[] SEPARATED_LABELS = {3, 3, 3, 8, 8, 8};

    static Stream<Arguments> lossesThatReachExactlyZero() {
        return Stream.of(
                Arguments.of("batch-hard", build("batch-hard", BatchHardTripletLoss::new, Map.of())),
                Arguments.of("batch-hard normalized squared", build("batch-hard", BatchHardTripletLoss::new,
                        Map.of("normalize", "true", "distance", "squared-euclidean"))),
                Arguments.of("batch-all", build("batch-all", BatchAllTripletLoss::new, Map.of())),
                Arguments.of("contrastive", build("contrastive", ContrastiveLoss::new,
                        Map.of("pos-margin", "0.1", "neg-margin", "1"))),
                Arguments.of("lifted (raw scale)", build("lifted", GeneralizedLiftedStructureLoss::new,
                        Map.of("normalize", "false"))),
                Arguments.of("multi-similarity (nothing mined)", build("multi-similarity", MultiSimilarityLoss::new, Map.of())),
                Arguments.of("binomial (nothing mined)", build("binomial", BinomialDevianceLoss::new,
                        Map.of("mining", "true"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lossesThatReachExactlyZero")
    void satisfiedBatchGivesExactlyZeroAndZeroGradient(String name, MetricLoss loss) {
        NDArray x = embeddings(SEPARATED);
        x.setRequiresGradient(true);
        double value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = loss.evaluate(x, manager.create(SEPARATED_LABELS));
            value = out.getDouble();
            gc.backward(out);
        }
        assertThat(value).isEqualTo(0.0);
        for (double g : x.getGradient().toDoubleArray()) {
            assertThat(g).isEqualTo(0.0);
        }
    }

    private double[] gradient(MetricLoss loss, double[][] xs, long[] labels) {
        NDArray x = embeddings(xs);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = loss.evaluate(x, manager.create(labels));
            assertThat(out.getDouble()).isFinite();
            gc.backward(out);
        }
        return x.getGradient().toDoubleArray();
    }
}
