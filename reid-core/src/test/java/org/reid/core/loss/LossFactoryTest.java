package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossFactoryTest {

    @Test
    void knowsEveryLossOfTheProduct() {
        assertThat(LossFactory.names()).containsExactlyInAnyOrder(
                "batch-hard", "batch-all", "contrastive", "lifted", "binomial", "multi-similarity", "proxy-nca",
                "npair", "nca", "nca-triplet", "ephn-2nd", "mvp", "cross-entropy", "triplet");
        assertThat(LossFactory.minerNames()).containsExactly("batch-hard", "ephn", "multi-similarity");
        assertThat(LossFactory.minerLosses()).containsExactly("binomial", "multi-similarity", "triplet");
    }

    @Test
    void everyLossWithoutRequiredParametersBuildsWithItsDefaults() {
        for (String name : LossFactory.names()) {
            if (name.equals("proxy-nca")) {
                continue; // needs classes and embedding-dim, checked below
            }
            assertThat(LossFactory.create(name).getName()).isEqualTo(name);
        }
        assertThat(LossFactory.create("proxy-nca", Map.of("classes", "10", "embedding-dim", "8")).getName())
                .isEqualTo("proxy-nca");
    }

    @Test
    void parametersReachTheLoss() {
        MvpMatchingLoss mvp = (MvpMatchingLoss) LossFactory.create("mvp", Map.of("alpha", "0.5", "epsilon", "1.5"));
        assertThat(mvp.initialAlpha()).isEqualTo(0.5);
        assertThat(mvp.epsilon()).isEqualTo(1.5);
    }

    @Test
    void unknownNamesAndKeysAreClearErrors() {
        assertThatThrownBy(() -> LossFactory.create("tripplet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown loss 'tripplet'")
                .hasMessageContaining("batch-hard");
        assertThatThrownBy(() -> LossFactory.create("batch-hard", Map.of("margn", "0.2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("margn")
                .hasMessageContaining("margin");
        assertThatThrownBy(() -> LossFactory.create("batch-hard", Map.of("margin", "wide")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'margin' must be a finite number");
        assertThatThrownBy(() -> LossFactory.create("proxy-nca"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("classes");
    }

    @Test
    void aMinerIsGivenByNameOrAsTheMinerParameter() {
        TripletMarginLoss byArgument = (TripletMarginLoss) LossFactory.create("triplet", Map.of("margin", "0.2"),
                "batch-hard");
        TripletMarginLoss byParameter = (TripletMarginLoss) LossFactory.create("triplet",
                Map.of("margin", "0.2", "miner", "batch-hard"));
        assertThat(byArgument.miner().name()).isEqualTo("batch-hard");
        assertThat(byParameter.miner().name()).isEqualTo("batch-hard");
        assertThat(((TripletMarginLoss) LossFactory.create("triplet")).miner()).isNull();
        assertThat(((TripletMarginLoss) LossFactory.create("batch-hard")).miner().name()).isEqualTo("batch-hard");
        assertThat(((TripletMarginLoss) LossFactory.create("batch-all")).miner()).isNull();
        assertThat(((TripletMarginLoss) LossFactory.create("triplet", Map.of("reducer", "sum"))).reducer().name())
                .isEqualTo("sum");
        // The miner's own parameters are the loss's: epsilon is known once multi-similarity mines.
        assertThat(LossFactory.create("triplet", Map.of("epsilon", "0.2"), "multi-similarity").getName())
                .isEqualTo("triplet");
        assertThatThrownBy(() -> LossFactory.create("triplet", Map.of("epsilon", "0.2"), "batch-hard"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown parameter(s) [epsilon]");
    }

    @Test
    void unknownMinersAndLossesWithoutAMinerAreClearErrors() {
        assertThatThrownBy(() -> LossFactory.create("triplet", Map.of(), "hardest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown miner 'hardest'")
                .hasMessageContaining("[batch-hard, ephn, multi-similarity]");
        // The check alone, for a command line before anything is built.
        assertThatThrownBy(() -> LossFactory.checkMiner("triplet", "hardest"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown miner 'hardest'");
        LossFactory.checkMiner("triplet", "batch-hard");
        assertThatThrownBy(() -> LossFactory.create("contrastive", Map.of("miner", "batch-hard")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss 'contrastive' takes no miner")
                .hasMessageContaining("'batch-hard'")
                .hasMessageContaining("[binomial, multi-similarity, triplet]");
        assertThatThrownBy(() -> LossFactory.create("batch-all", Map.of(), "multi-similarity"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss 'batch-all' takes no miner")
                .hasMessageContaining("use loss 'triplet' with miner 'multi-similarity'");
        assertThatThrownBy(() -> LossFactory.create("triplet", Map.of("miner", "ephn"), "batch-hard"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two miners").hasMessageContaining("'batch-hard'").hasMessageContaining("'ephn'");
        // EPHN's rules are thresholds on cosine similarity; the triplet loss compares by distance.
        assertThatThrownBy(() -> LossFactory.create("triplet", Map.of(), "ephn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("miner 'ephn'").hasMessageContaining("cosine similarity");
        assertThatThrownBy(() -> LossFactory.create("multi-similarity", Map.of("mining", "false"), "batch-hard"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mining'").hasMessageContaining("miner 'batch-hard'");
        assertThatThrownBy(() -> LossFactory.create("triplet", Map.of("reducer", "median")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'reducer'").hasMessageContaining("[avg-non-zero, mean, sum]");
    }

    @Test
    void pairLossesTakeTheirMinerByNameToo() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(LossTestSupport.gaussian(3, 12, 4, 1.0));
            NDArray labels = manager.create(new long[] {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3});
            // mining=true is the multi-similarity miner, for both losses that read it.
            assertThat(value(LossFactory.create("multi-similarity", Map.of("epsilon", "0.2"), "multi-similarity"), x,
                    labels)).isEqualTo(value(LossFactory.create("multi-similarity", Map.of("epsilon", "0.2")), x, labels));
            assertThat(value(LossFactory.create("binomial", Map.of(), "multi-similarity"), x, labels))
                    .isEqualTo(value(LossFactory.create("binomial", Map.of("mining", "true")), x, labels));
            // Another miner changes the pairs: batch-hard keeps one positive and one negative per anchor.
            assertThat(value(LossFactory.create("multi-similarity", Map.of(), "batch-hard"), x, labels))
                    .isNotEqualTo(value(LossFactory.create("multi-similarity"), x, labels));
            // EPHN's triplets, as pairs, on the loss's cosine similarity.
            assertThat(value(LossFactory.create("binomial", Map.of(), "ephn"), x, labels)).isFinite()
                    .isNotEqualTo(value(LossFactory.create("binomial"), x, labels));
        }
    }

    private static double value(MetricLoss loss, NDArray x, NDArray labels) {
        return loss.evaluate(x, labels).getDouble();
    }
}
