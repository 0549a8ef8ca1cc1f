package org.reid.core.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HungarianTest {
    private static final double F = Double.NEGATIVE_INFINITY;

    @Test
    void solvesASmallSquareProblemByHand() {
        // Rows 0,1,2 -> columns 1,0,2 costs 1+2+2 = 5 is the unique optimum.
        double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        Assignment a = Hungarian.minimize(cost);
        assertThat(a.rowToColumn()).containsExactly(1, 0, 2);
        assertThat(a.total()).isEqualTo(5.0);
    }

    @Test
    void maximizeIsMinimizeOfTheNegation() {
        double[][] value = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        Assignment a = Hungarian.maximize(value);
        assertThat(a.total()).isEqualTo(11.0); // 4 + 5 + 2
        assertThat(a.rowToColumn()).containsExactly(0, 2, 1);
    }

    @Test
    void wideAndTallMatricesAssignMinRowsCols() {
        double[][] wide = {{5, 1, 9, 9}, {1, 5, 9, 0}};
        Assignment w = Hungarian.minimize(wide);
        assertThat(w.rowToColumn()).containsExactly(1, 3);
        assertThat(w.total()).isEqualTo(1.0);

        double[][] tall = {{5, 1}, {2, 5}, {0, 3}};
        Assignment t = Hungarian.minimize(tall);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.rowToColumn()).containsExactly(1, -1, 0); // 1 + 0, row 1 left out
        assertThat(t.total()).isEqualTo(1.0);
    }

    @Test
    void forbiddenCellsAreNeverUsedEvenWhenTheyLookAttractive() {
        // Maximise; the diagonal is forbidden. Without that the diagonal (100s) would win.
        double[][] value = {{F, 1, 2}, {3, F, 1}, {1, 4, F}};
        Assignment a = Hungarian.maximize(value);
        for (int i = 0; i < 3; i++) {
            assertThat(a.columnOf(i)).isNotEqualTo(i);
        }
        assertThat(a.total()).isEqualTo(2 + 3 + 4);
    }

    @Test
    void noAssignmentAvoidingForbiddenCellsIsAClearError() {
        double[][] value = {{1, F}, {2, F}};
        assertThatThrownBy(() -> Hungarian.maximize(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forbidden");
    }

    @Test
    void nanIsRejectedWithItsPosition() {
        double[][] cost = {{1, 2}, {3, Double.NaN}};
        assertThatThrownBy(() -> Hungarian.minimize(cost))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN at [1][1]");
    }

    @Test
    void wrongSignedInfinityAndRaggedRowsAreRejected() {
        assertThatThrownBy(() -> Hungarian.minimize(new double[][] {{Double.NEGATIVE_INFINITY, 1}, {1, 1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-infinity");
        assertThatThrownBy(() -> Hungarian.minimize(new double[][] {{1, 2}, {1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ragged");
    }

    @Test
    void allTiesStillGiveAPermutation() {
        double[][] cost = new double[6][6];
        Assignment a = Hungarian.minimize(cost);
        assertThat(a.rowToColumn()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(a.total()).isZero();
    }

    @Test
    void emptyMatrix() {
        assertThat(Hungarian.minimize(new double[0][0]).size()).isZero();
    }

    @Test
    void agreesWithBruteForceOnRandomSmallProblems() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(6);
            double[][] c = new double[n][n];
            for (double[] row : c) {
                for (int j = 0; j < n; j++) {
                    row[j] = rnd.nextInt(5) == 0 ? F : rnd.nextInt(10); // ties and forbidden cells
                }
            }
            double best = bruteForceMax(c, 0, new boolean[n]);
            if (best == F) {
                assertThatThrownBy(() -> Hungarian.maximize(c)).isInstanceOf(IllegalArgumentException.class);
            } else {
                assertThat(Hungarian.maximize(c).total()).isCloseTo(best, within(1e-12));
            }
        }
    }

    private static double bruteForceMax(double[][] c, int row, boolean[] used) {
        if (row == c.length) {
            return 0;
        }
        double best = F;
        for (int j = 0; j < c.length; j++) {
            if (!used[j] && c[row][j] != F) {
                used[j] = true;
                double rest = bruteForceMax(c, row + 1, used);
                used[j] = false;
                if (rest != F) {
                    best = Math.max(best, c[row][j] + rest);
                }
            }
        }
        return best;
    }
}
