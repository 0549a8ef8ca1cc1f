package org.reid.core.loss.miner;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reid.core.loss.BatchLabels;
import org.reid.core.loss.distance.CosineSimilarity;
import org.reid.core.loss.distance.DotProductSimilarity;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.testutil.Oracles;

/** The miners choose exactly the triplets and pairs PML's miners chose (oracles/losses.json aux). */
class MinerOracleTest {

    static Stream<JsonNode> batchHardCases() {
        return Oracles.cases("losses.json").stream().filter(c -> c.get("aux") != null
                && c.get("aux").has("mined_triplets"));
    }

    static Stream<JsonNode> multiSimilarityMinerCases() {
        return Oracles.cases("losses.json").stream().filter(c -> c.get("aux") != null
                && c.get("aux").has("mined_pos_pairs"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("batchHardCases")
    void batchHardMinerPicksPmlTriplets(JsonNode c) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(Oracles.matrix(c.get("embeddings")));
            BatchLabels batch = BatchLabels.of("test", manager.create(longs(c.get("labels"))), x,
                    BatchLabels.Requirement.POSITIVE_AND_NEGATIVE_PAIRS);
            boolean normalize = c.get("params").get("miner").get("distance").get("normalize_embeddings").asBoolean();
            Triplets t = new BatchHardMiner(false).mine(new LpDistance(normalize, 1).pairwise(x), batch);
            List<String> ours = new ArrayList<>();
            for (int i = 0; i < t.size(); i++) {
                ours.add(t.anchor(i) + "," + t.positive(i) + "," + t.negative(i));
            }
            List<String> pml = new ArrayList<>();
            c.get("aux").get("mined_triplets").forEach(a -> pml.add(a.get(0) + "," + a.get(1) + "," + a.get(2)));
            assertThat(ours).containsExactlyElementsOf(pml);
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("multiSimilarityMinerCases")
    void multiSimilarityMinerKeepsPmlPairs(JsonNode c) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(Oracles.matrix(c.get("embeddings")));
            BatchLabels batch = BatchLabels.of("test", manager.create(longs(c.get("labels"))), x,
                    BatchLabels.Requirement.POSITIVE_AND_NEGATIVE_PAIRS);
            JsonNode miner = c.get("params").get("miner");
            NDArray s = miner.get("distance").get("type").asText().equals("CosineSimilarity")
                    ? new CosineSimilarity().pairwise(x)
                    : new DotProductSimilarity(false).pairwise(x);
            MinedPairs pairs = new MultiSimilarityMiner(miner.get("epsilon").asDouble()).mine(s, batch);
            Set<String> pos = new TreeSet<>();
            Set<String> neg = new TreeSet<>();
            for (int i = 0; i < batch.size(); i++) {
                for (int j = 0; j < batch.size(); j++) {
                    if (pairs.isPositive(i, j)) {
                        pos.add(i + "," + j);
                    }
                    if (pairs.isNegative(i, j)) {
                        neg.add(i + "," + j);
                    }
                }
            }
            assertThat(pos).isEqualTo(pairSet(c.get("aux").get("mined_pos_pairs")));
            assertThat(neg).isEqualTo(pairSet(c.get("aux").get("mined_neg_pairs")));
            assertThat(pairs.positiveCount()).isEqualTo(pos.size());
            assertThat(pairs.negativeCount()).isEqualTo(neg.size());
        }
    }

    private static Set<String> pairSet(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.forEach(p -> out.add(p.get(0) + "," + p.get(1)));
        return out;
    }

    private static long[] longs(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }
}
