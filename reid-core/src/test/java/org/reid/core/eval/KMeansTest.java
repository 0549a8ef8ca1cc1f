package org.reid.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KMeansTest {

    /** 4 tight blobs far apart in 8-D, 25 points each. */
    private static float[][] blobs(int[] labelsOut, long seed) {
        Random rnd = new Random(seed);
        float[][] pts = new float[labelsOut.length][8];
        for (int i = 0; i < pts.length; i++) {
            int c = i % 4;
            labelsOut[i] = c;
            for (int t = 0; t < 8; t++) {
                pts[i][t] = (t == c ? 10f : 0f) + (float) (0.1 * rnd.nextGaussian());
            }
        }
        return pts;
    }

    @Test
    void recoversSeparatedBlobsAndNmiIsOne() {
        int[] labels = new int[100];
        float[][] pts = blobs(labels, 1);
        KMeansResult r = KMeans.fit(pts, 4, 42);
        assertThat(NormalizedMutualInfo.of(labels, r.assignments())).isCloseTo(1.0, within(1e-12));
        assertThat(NormalizedMutualInfo.ofKMeans(pts, labels, 42)).isCloseTo(1.0, within(1e-12));
        // centres are the blob means: inertia is the within-blob scatter only (about 100·8·0.01)
        assertThat(r.inertia()).isLessThan(20.0);
    }

    @Test
    void deterministicBySeed() {
        float[][] pts = new float[60][3];
        Random rnd = new Random(9);
        for (float[] p : pts) {
            for (int t = 0; t < 3; t++) {
                p[t] = (float) rnd.nextGaussian(); // no structure: the result depends on the seed
            }
        }
        KMeansResult a = KMeans.fit(pts, 5, 123);
        KMeansResult b = KMeans.fit(pts, 5, 123);
        assertThat(a.assignments()).containsExactly(b.assignments());
        assertThat(a.inertia()).isEqualTo(b.inertia());
    }

    @Test
    void theResultIsALloydFixedPointAndItsInertiaIsTheScatterAboutIt() {
        float[][] pts = new float[80][3];
        Random rnd = new Random(5);
        for (float[] p : pts) {
            for (int t = 0; t < 3; t++) {
                p[t] = (float) rnd.nextGaussian();
            }
        }
        KMeansResult r = KMeans.fit(pts, 4, 7);
        int[] a = r.assignments();
        double[][] c = r.centroids();
        double inertia = 0;
        double[][] sums = new double[4][3];
        int[] counts = new int[4];
        for (int i = 0; i < pts.length; i++) {
            // every point sits with its nearest centroid (ties aside)...
            for (int k = 0; k < 4; k++) {
                assertThat(squared(pts[i], c[a[i]])).isLessThanOrEqualTo(squared(pts[i], c[k]) + 1e-9);
            }
            inertia += squared(pts[i], c[a[i]]);
            counts[a[i]]++;
            for (int t = 0; t < 3; t++) {
                sums[a[i]][t] += pts[i][t];
            }
        }
        // ...every centroid is the mean of its points, and the inertia is their scatter about it
        for (int k = 0; k < 4; k++) {
            assertThat(counts[k]).isPositive();
            for (int t = 0; t < 3; t++) {
                assertThat(c[k][t]).isCloseTo(sums[k][t] / counts[k], within(1e-6));
            }
        }
        assertThat(r.inertia()).isCloseTo(inertia, within(1e-6));
    }

    private static double squared(float[] p, double[] c) {
        double s = 0;
        for (int t = 0; t < p.length; t++) {
            s += (p[t] - c[t]) * (p[t] - c[t]);
        }
        return s;
    }

    @Test
    void everyClusterIsUsedEvenWithDuplicatePoints() {
        float[][] pts = {{0}, {0}, {0}, {1}};
        KMeansResult r = KMeans.fit(pts, 3, 1);
        assertThat(r.assignments()).contains(0, 1, 2);
        KMeansResult single = KMeans.fit(pts, 4, 1);
        assertThat(single.inertia()).isEqualTo(0.0);
    }

    @Test
    void rejectsBadInput() {
        float[][] pts = {{0, 1}, {1, 0}};
        assertThatThrownBy(() -> KMeans.fit(pts, 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k=3 outside 1..2");
        assertThatThrownBy(() -> KMeans.fit(new float[][] {{0, 1}, {1}}, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points row 1");
    }
}
