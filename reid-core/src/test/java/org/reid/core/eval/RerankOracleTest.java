package org.reid.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reid.core.testutil.Oracles;

/** Every case of shared/oracles/rerank.json (torchreid re_ranking, float32 in the peer). */
class RerankOracleTest {
    private static final List<JsonNode> CASES = Oracles.cases("rerank.json");
    private static final double TOLERANCE = 1e-5;
    private static int matched;
    private static double worstOverall;

    static Stream<JsonNode> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void matchesTorchreid(JsonNode c) {
        String id = c.get("case_id").asText();
        double[][] qg = Oracles.matrix(c.get("q_g_dist"));
        double[][] qq = Oracles.matrix(c.get("q_q_dist"));
        double[][] gg = Oracles.matrix(c.get("g_g_dist"));
        double[][] expected = Oracles.matrix(c.get("result"));
        double[][] actual = KReciprocalReranker.rerank(qg, qq, gg,
                c.get("k1").asInt(), c.get("k2").asInt(), c.get("lambda").asDouble());

        assertThat(actual.length).as(id).isEqualTo(c.get("num_query").asInt());
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as(id + " row " + i).hasSize(c.get("num_gallery").asInt());
            for (int j = 0; j < expected[i].length; j++) {
                worst = Math.max(worst, Math.abs(actual[i][j] - expected[i][j]));
            }
        }
        assertThat(worst).as(id + " max |Δ|").isLessThanOrEqualTo(TOLERANCE);
        worstOverall = Math.max(worstOverall, worst);
        matched++;
    }

    @AfterAll
    static void report() {
        System.out.printf("rerank.json: %d of %d oracle cases matched torchreid (max |diff| %.2e)%n",
                matched, CASES.size(), worstOverall);
        assertThat(CASES).hasSize(6);
        assertThat(matched).isEqualTo(CASES.size());
    }
}
