package org.reid.core.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reid.core.testutil.Oracles;

/** Every case of shared/oracles/hungarian.json (SciPy linear_sum_assignment): same optimum. */
class HungarianOracleTest {
    private static final List<JsonNode> CASES = Oracles.cases("hungarian.json");
    private static int checked;

    static Stream<JsonNode> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void matchesScipyOptimum(JsonNode c) {
        double[][] cost = Oracles.matrix(c.get("cost"));
        boolean maximize = c.get("maximize").asBoolean();
        Assignment a = Hungarian.solve(cost, maximize);

        int rows = c.get("n_rows").asInt();
        int cols = c.get("n_cols").asInt();
        assertThat(a.size()).isEqualTo(Math.min(rows, cols));
        boolean[] usedColumn = new boolean[cols];
        double total = 0;
        double maxAbs = 0;
        for (int i = 0; i < rows; i++) {
            for (double x : cost[i]) {
                maxAbs = Math.max(maxAbs, Math.abs(x));
            }
            int j = a.columnOf(i);
            if (j >= 0) {
                assertThat(usedColumn[j]).as("column %d used twice", j).isFalse();
                usedColumn[j] = true;
                total += cost[i][j];
            }
        }
        double expected = c.get("total").asDouble();
        double tol = 1e-9 * Math.max(1.0, maxAbs) * Math.min(rows, cols);
        assertThat(total).as(c.get("case_id").asText()).isCloseTo(expected, within(tol));
        assertThat(a.total()).isCloseTo(total, within(tol));
        checked++;
    }

    @AfterAll
    static void report() {
        System.out.printf("hungarian.json: %d of %d oracle cases matched SciPy%n", checked, CASES.size());
        assertThat(checked).isEqualTo(CASES.size());
    }
}
