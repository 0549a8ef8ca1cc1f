package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reid.core.loss.distance.CosineSimilarity;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.miner.BatchHardMiner;
import org.reid.core.loss.reducer.AvgNonZeroReducer;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.SumReducer;
import org.reid.core.testing.NDManagerPerTest;
import org.reid.core.testutil.Oracles;

/**
 * The composed triplet loss: with the batch-hard miner it is batch-hard and without a miner it is
 * batch-all (PML's numbers in oracles/losses.json, and the very same bits as the named presets);
 * its reducer, miner and distance are swappable, checked on small batches worked out by hand.
 */
class TripletMarginLossTest extends NDManagerPerTest {
    static Stream<JsonNode> tripletCases() {
        return Oracles.cases("losses.json").stream().filter(c -> c.get("loss").asText().equals("TripletMarginLoss"));
    }

    /** PML's TripletMarginLoss with BatchHardMiner is {@code triplet} + miner {@code batch-hard}; without, plain {@code triplet}. */
    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("tripletCases")
    void composedTripletReproducesPmlAndThePresetBitForBit(JsonNode c) {
        PmlLossOracleTest.Translation preset = PmlLossOracleTest.translate(c);
        String miner = preset.name().equals(BatchHardTripletLoss.NAME) ? BatchHardMiner.NAME : null;
        double[][] x = Oracles.matrix(c.get("embeddings"));
        long[] labels = longs(c.get("labels"));

        double[] composed = valueAndGradient(LossFactory.create(TripletMarginLoss.NAME, preset.params(), miner), x, labels);
        double[] named = valueAndGradient(LossFactory.create(preset.name(), preset.params()), x, labels);

        assertThat(composed).as("triplet%s vs %s", miner == null ? "" : " + " + miner, preset.name())
                .containsExactly(named);
        double expected = c.get("value").asDouble();
        assertThat(composed[0]).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
        double[][] grad = Oracles.matrix(c.get("grad"));
        int d = grad[0].length;
        for (int i = 0; i < grad.length; i++) {
            for (int k = 0; k < d; k++) {
                assertThat(composed[1 + i * d + k]).as("grad[%d][%d]", i, k).isCloseTo(grad[i][k], within(1e-8));
            }
        }
    }

    // 1-D batch worked out by hand: x = 0, 1, 1.2, 3 with identities 0, 0, 1, 1; margin 0.3.
    // Distances: d01 = 1, d02 = 1.2, d03 = 3, d12 = 0.2, d13 = 2, d23 = 1.8. The 8 valid triplets
    // (a, p, n) and relu(d_ap - d_an + 0.3):
    //   (0,1,2) 0.1   (0,1,3) 0     (1,0,2) 1.1   (1,0,3) 0
    //   (2,3,0) 0.9   (2,3,1) 1.9   (3,2,0) 0     (3,2,1) 0.1
    // Sum 4.1 over 8 triplets, 5 of them non-zero.
    private static final double[][] LINE = {{0}, {1}, {1.2}, {3}};
    private static final long[] LINE_IDS = {0, 0, 1, 1};

    @Test
    void reducerDecidesWhatTheTripletLossesAreAveragedOver() {
        assertThat(value(LossFactory.create("triplet"), LINE, LINE_IDS)).isCloseTo(4.1 / 5, within(1e-12));
        assertThat(value(LossFactory.create("triplet", Map.of("reducer", "mean")), LINE, LINE_IDS))
                .isCloseTo(4.1 / 8, within(1e-12));
        assertThat(value(LossFactory.create("triplet", Map.of("reducer", "sum")), LINE, LINE_IDS))
                .isCloseTo(4.1, within(1e-12));
        // The same swap by construction, the reducer injected.
        MetricLoss mean = new TripletMarginLoss(0.3, false, LpDistance.euclidean(), null, new MeanReducer());
        assertThat(value(mean, LINE, LINE_IDS)).isCloseTo(4.1 / 8, within(1e-12));
    }

    @Test
    void batchHardMinerKeepsOneTripletPerAnchor() {
        // Hardest positive and negative per anchor: (0,1,2) 0.1, (1,0,2) 1.1, (2,3,1) 1.9, (3,2,1) 0.1.
        assertThat(value(LossFactory.create("triplet", Map.of(), "batch-hard"), LINE, LINE_IDS))
                .isCloseTo(3.2 / 4, within(1e-12));
        MetricLoss summed = new TripletMarginLoss(0.3, false, LpDistance.euclidean(), new BatchHardMiner(false),
                new SumReducer());
        assertThat(value(summed, LINE, LINE_IDS)).isCloseTo(3.2, within(1e-12));
    }

    @Test
    void pairMinerKeepsTheTripletsWhosePairsWereBothMined() {
        // PML's MultiSimilarityMiner on distances, epsilon 0.1: positive (a, p) kept when
        // d_ap + 0.1 > min_n d_an, negative (a, n) when d_an - 0.1 < max_p d_ap. Anchor 0: 1.1 > 1.2
        // no, 1.1 < 1 and 2.9 < 1 no. Anchor 1: 1.1 > 0.2 keeps (1,0); 0.1 < 1 keeps (1,2), 1.9 < 1
        // no. Anchor 2: 1.9 > 0.2 keeps (2,3); 1.1 < 1.8 and 0.1 < 1.8 keep (2,0), (2,1). Anchor 3:
        // 1.9 > 2 no; 2.9 < 1.8, 1.9 < 1.8 no. Triplets (1,0,2) 1.1, (2,3,0) 0.9, (2,3,1) 1.9.
        MetricLoss loss = LossFactory.create("triplet", Map.of("epsilon", "0.1"), "multi-similarity");
        assertThat(value(loss, LINE, LINE_IDS)).isCloseTo(3.9 / 3, within(1e-12));
    }

    @Test
    void onASimilarityTheLossPenalisesNegativesMoreSimilarThanPositives() {
        // Unit vectors A0 = (1, 0), A1 = (0.6, 0.8) of identity 0 and B0 = (0, 1), B1 = (-1, 0) of
        // identity 1. Cosines: s(A0,A1) 0.6, s(A0,B0) 0, s(A0,B1) -1, s(A1,B0) 0.8, s(A1,B1) -0.6,
        // s(B0,B1) 0. relu(s_an - s_ap + 0.3) of the 8 triplets: (A1,A0,B0) 0.5, (B0,B1,A0) 0.3,
        // (B0,B1,A1) 1.1, all others 0. Batch-hard (least similar positive, most similar negative)
        // keeps (A1,A0,B0) 0.5 and (B0,B1,A1) 1.1 of the non-zero ones.
        double[][] x = {{1, 0}, {0.6, 0.8}, {0, 1}, {-1, 0}};
        MetricLoss all = new TripletMarginLoss(0.3, false, new CosineSimilarity(), null, new AvgNonZeroReducer());
        assertThat(value(all, x, LINE_IDS)).isCloseTo(1.9 / 3, within(1e-12));
        MetricLoss hard = new TripletMarginLoss(0.3, false, new CosineSimilarity(), new BatchHardMiner(true),
                new AvgNonZeroReducer());
        assertThat(value(hard, x, LINE_IDS)).isCloseTo(1.6 / 2, within(1e-12));
    }

    private double value(MetricLoss loss, double[][] x, long[] labels) {
        return loss.evaluate(manager.create(x), manager.create(labels)).getDouble();
    }

    /** The value, then the gradient with respect to the embeddings, row-major. */
    private double[] valueAndGradient(MetricLoss loss, double[][] xs, long[] labels) {
        NDArray x = manager.create(xs);
        x.setRequiresGradient(true);
        double value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = loss.evaluate(x, manager.create(labels));
            value = out.getDouble();
            gc.backward(out);
        }
        double[] g = x.getGradient().toDoubleArray();
        double[] all = new double[g.length + 1];
        all[0] = value;
        System.arraycopy(g, 0, all, 1, g.length);
        return all;
    }

    private static long[] longs(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }
}
