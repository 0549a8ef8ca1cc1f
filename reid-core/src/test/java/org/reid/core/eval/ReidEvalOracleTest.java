package org.reid.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reid.core.testutil.Oracles;

/** Every case of shared/oracles/reid_eval.json (torchreid eval_market1501, fast-reid mINP). */
class ReidEvalOracleTest {
    private static final List<JsonNode> CASES = Oracles.cases("reid_eval.json");
    private static int matched;

    static Stream<JsonNode> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void matchesTorchreid(JsonNode c) {
        String id = c.get("case_id").asText();
        ReidMetrics m = ReidEvaluator.evaluate(
                Oracles.matrix(c.get("distmat")),
                Oracles.ints(c.get("q_pids")),
                Oracles.ints(c.get("g_pids")),
                Oracles.ints(c.get("q_camids")),
                Oracles.ints(c.get("g_camids")),
                c.get("max_rank").asInt());

        double[] cmc = Oracles.vector(c.get("cmc"));
        assertThat(m.cmc()).as(id + " cmc length").hasSize(c.get("max_rank_effective").asInt());
        for (int k = 0; k < cmc.length; k++) {
            // torchreid averages the CMC in float32
            assertThat(m.cmc()[k]).as(id + " cmc[" + k + "]").isCloseTo(cmc[k], within(1e-6));
        }
        assertThat(m.mAP()).as(id + " mAP").isCloseTo(c.get("mAP").asDouble(), within(1e-12));
        assertThat(m.mINP()).as(id + " mINP").isCloseTo(c.get("mINP").asDouble(), within(1e-12));
        assertThat(m.numValidQueries()).as(id).isEqualTo(c.get("num_valid_queries").asInt());
        assertThat(m.validQueryIndices()).as(id).containsExactly(Oracles.ints(c.get("valid_query_indices")));
        assertPerQuery(id + " per-query AP", m.perQueryAP(), Oracles.vector(c.get("per_query_AP")));
        assertPerQuery(id + " per-query INP", m.perQueryINP(), Oracles.vector(c.get("per_query_INP")));
        matched++;
    }

    private static void assertPerQuery(String what, double[] actual, double[] expected) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            // stored rounded to 10 significant digits
            assertThat(actual[i]).as(what + "[" + i + "]").isCloseTo(expected[i], within(1e-9));
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("reid_eval.json: %d of %d oracle cases matched torchreid%n", matched, CASES.size());
        assertThat(CASES).hasSize(7);
        assertThat(matched).isEqualTo(CASES.size());
    }
}
