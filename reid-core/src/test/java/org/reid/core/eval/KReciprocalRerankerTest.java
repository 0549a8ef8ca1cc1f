package org.reid.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KReciprocalRerankerTest {

    /** Squared Euclidean distances between random 4-D points: qg, qq, gg. */
    private static double[][][] problem(int nq, int ng, long seed) {
        Random rnd = new Random(seed);
        double[][] q = new double[nq][4];
        double[][] g = new double[ng][4];
        for (double[][] set : new double[][][] {q, g}) {
            for (double[] p : set) {
                for (int t = 0; t < 4; t++) {
                    p[t] = rnd.nextGaussian();
                }
            }
        }
        return new double[][][] {sq(q, g), sq(q, q), sq(g, g)};
    }

    private static double[][] sq(double[][] a, double[][] b) {
        double[][] d = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                for (int t = 0; t < 4; t++) {
                    d[i][j] += (a[i][t] - b[j][t]) * (a[i][t] - b[j][t]);
                }
            }
        }
        return d;
    }

    @Test
    void lambdaOneIsTheNormalisedSquaredDistance() {
        double[][][] p = problem(3, 7, 1);
        double[][] out = KReciprocalReranker.rerank(p[0], p[1], p[2], 20, 6, 1.0);
        for (int i = 0; i < 3; i++) {
            // working row i = column i of the combined matrix, squared, over that column's max;
            // the combined matrix is symmetric here, so column i is [qq[i], qg[i]]
            double max = 0;
            for (double d : p[1][i]) {
                max = Math.max(max, d * d);
            }
            for (double d : p[0][i]) {
                max = Math.max(max, d * d);
            }
            for (int j = 0; j < 7; j++) {
                assertThat(out[i][j]).isCloseTo(p[0][i][j] * p[0][i][j] / max, within(1e-15));
            }
        }
    }

    @Test
    void resultIsWithinBoundsAndK1LargerThanTheSetWorks() {
        double[][][] p = problem(4, 9, 2);
        double[][] out = KReciprocalReranker.rerank(p[0], p[1], p[2], 50, 30, 0.3);
        for (double[] row : out) {
            for (double d : row) {
                assertThat(d).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void floatInputsGiveTheResultOfTheirDoubleValues() {
        double[][][] p = problem(5, 20, 3);
        float[][][] f = new float[3][][];
        double[][][] widened = new double[3][][];
        for (int b = 0; b < 3; b++) {
            f[b] = new float[p[b].length][];
            widened[b] = new double[p[b].length][];
            for (int i = 0; i < p[b].length; i++) {
                f[b][i] = new float[p[b][i].length];
                widened[b][i] = new double[p[b][i].length];
                for (int j = 0; j < p[b][i].length; j++) {
                    f[b][i][j] = (float) p[b][i][j];
                    widened[b][i][j] = f[b][i][j];
                }
            }
        }
        assertThat(KReciprocalReranker.rerank(f[0], f[1], f[2], 20, 6, 0.3))
                .isDeepEqualTo(KReciprocalReranker.rerank(widened[0], widened[1], widened[2], 20, 6, 0.3));
    }

    @Test
    void rejectsBadInput() {
        double[][][] p = problem(2, 3, 4);
        assertThatThrownBy(() -> KReciprocalReranker.rerank(p[0], p[2], p[2], 20, 6, 0.3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qq has 3 rows, expected 2");
        assertThatThrownBy(() -> KReciprocalReranker.rerank(p[0], p[1], p[1], 20, 6, 0.3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gg has 2 rows, expected 3");
        assertThatThrownBy(() -> KReciprocalReranker.rerank(p[0], p[1], p[2], 20, 6, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lambda must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> KReciprocalReranker.rerank(p[0], p[1], p[2], 0, 6, 0.3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k1 must be >= 1, got 0");
        p[2][1][2] = Double.NaN;
        assertThatThrownBy(() -> KReciprocalReranker.rerank(p[0], p[1], p[2], 20, 6, 0.3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gg[1][2] is NaN");
    }
}
