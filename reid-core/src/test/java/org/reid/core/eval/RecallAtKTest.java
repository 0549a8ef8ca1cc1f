package org.reid.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecallAtKTest {
    // 1-D points 0, 1, 3, 7, 8 with labels A B A B B. First same-label neighbour of each sample:
    // x=0 -> 2nd (x=3), x=1 -> 3rd (x=7), x=3 -> 2nd (x=0), x=7 -> 1st, x=8 -> 1st.
    private static final float[][] POINTS = {{0}, {1}, {3}, {7}, {8}};
    private static final int[] LABELS = {0, 1, 0, 1, 1};

    @Test
    void handComputedRecall() {
        assertThat(RecallAtK.compute(POINTS, LABELS, 1, 2, 3, 4)).containsExactly(0.4, 0.8, 1.0, 1.0);
    }

    @Test
    void distanceMatrixFormAgrees() {
        double[][] d = new double[5][5];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                d[i][j] = Math.abs(POINTS[i][0] - POINTS[j][0]);
            }
        }
        assertThat(RecallAtK.fromDistances(d, LABELS, 2, 1)).containsExactly(0.8, 0.4);
    }

    @Test
    void selfIsNeverItsOwnNeighbourAndTiesGoToTheLowerIndex() {
        // sample 0 is equidistant from 1 (other label) and 2 (same label): 1 wins the tie
        float[][] pts = {{0}, {-1}, {1}};
        int[] labels = {0, 1, 0};
        assertThat(RecallAtK.compute(pts, labels, 1)).containsExactly(1.0 / 3);
    }

    @Test
    void agreesWithAFullSortOnRandomData() {
        Random rnd = new Random(17);
        int n = 120;
        float[][] pts = new float[n][3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(15);
            for (int t = 0; t < 3; t++) {
                pts[i][t] = labels[i] % 3 + (float) rnd.nextGaussian();
            }
        }
        int[] ks = {1, 2, 4, 8, 16};
        double[] expected = new double[ks.length];
        for (int i = 0; i < n; i++) {
            int self = i;
            Integer[] order = IntStream.range(0, n).filter(j -> j != self).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble(j -> squared(pts[self], pts[j])));
            for (int t = 0; t < ks.length; t++) {
                for (int p = 0; p < ks[t]; p++) {
                    if (labels[order[p]] == labels[i]) {
                        expected[t] += 1.0 / n;
                        break;
                    }
                }
            }
        }
        double[] actual = RecallAtK.compute(pts, labels, ks);
        for (int t = 0; t < ks.length; t++) {
            assertThat(actual[t]).isCloseTo(expected[t], within(1e-12));
        }
    }

    private static double squared(float[] a, float[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += ((double) a[t] - b[t]) * ((double) a[t] - b[t]);
        }
        return s;
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> RecallAtK.compute(POINTS, new int[] {0, 1}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embeddings has 5 rows but labels has length 2");
        assertThatThrownBy(() -> RecallAtK.compute(POINTS, LABELS, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K=5 outside 1..4");
        assertThatThrownBy(() -> RecallAtK.compute(new float[][] {{0}, {1, 2}}, new int[] {0, 0}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 has 2 values");
        assertThatThrownBy(() -> RecallAtK.compute(new float[][] {{0}, {Float.NaN}}, new int[] {0, 0}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
