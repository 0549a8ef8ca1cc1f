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
