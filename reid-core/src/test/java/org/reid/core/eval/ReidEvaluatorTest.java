package org.reid.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReidEvaluatorTest {

    @Test
    void handComputedQuery() {
        // gallery order by distance: g0(pid 7, cam 2) match, g1(pid 7, cam 1) same camera -> removed,
        // g2(pid 3) miss, g3(pid 7, cam 3) match, g4(pid 0) miss, g5(pid 7, cam 2) match.
        double[][] d = {{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}};
        int[] gPids = {7, 7, 3, 7, 0, 7};
        int[] gCams = {2, 1, 4, 3, 4, 2};
        ReidMetrics m = ReidEvaluator.evaluate(d, new int[] {7}, gPids, new int[] {1}, gCams, 3);
        // filtered ranking: match, miss, match, miss, match -> positions 0, 2, 4
        assertThat(m.cmc()).containsExactly(1.0, 1.0, 1.0);
        assertThat(m.mAP()).isCloseTo((1.0 / 1 + 2.0 / 3 + 3.0 / 5) / 3, within(1e-15));
        assertThat(m.mINP()).isCloseTo(3.0 / 5, within(1e-15));
        assertThat(m.rank(1)).isEqualTo(1.0);
    }

    @Test
    void skippedQueriesDoNotCount() {
        double[][] d = {
            {0.5, 0.1, 0.9}, // pid 1 cam 0: first match (g2) at position 2 after g1 and g0
            {0.2, 0.3, 0.4}, // pid 5: absent from the gallery -> skipped
            {0.9, 0.1, 0.8}, // pid 2 cam 0: its only gallery image is from cam 0 -> skipped
        };
        int[] gPids = {3, 2, 1};
        int[] gCams = {1, 0, 1};
        ReidMetrics m = ReidEvaluator.evaluate(d, new int[] {1, 5, 2}, gPids, new int[] {0, 0, 0}, gCams, 10);
        assertThat(m.numValidQueries()).isEqualTo(1);
        assertThat(m.validQueryIndices()).containsExactly(0);
        assertThat(m.cmc()).hasSize(3).containsExactly(0.0, 0.0, 1.0);
        assertThat(m.mAP()).isEqualTo(1.0 / 3);
    }

    @Test
    void tiesAreBrokenByGalleryIndex() {
        double[][] d = {{1.0, 1.0, 1.0}};
        ReidMetrics m = ReidEvaluator.evaluate(d, new int[] {4}, new int[] {9, 4, 9}, new int[] {0},
                new int[] {1, 1, 1}, 3);
        assertThat(m.cmc()).containsExactly(0.0, 1.0, 1.0);
        assertThat(m.mAP()).isEqualTo(0.5);
    }

    @Test
    void agreesWithFullSortReference() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            Problem p = Problem.random(rnd, 1 + rnd.nextInt(30), 1 + rnd.nextInt(300), 1 + rnd.nextInt(12),
                    trial % 3 == 0);
            ReidMetrics m;
            try {
                m = ReidEvaluator.evaluate(p.dist, p.qPids, p.gPids, p.qCams, p.gCams, 20);
            } catch (IllegalArgumentException allInvalid) {
                assertThat(Reference.validCount(p)).isZero();
                continue;
            }
            Reference.assertSame(p, m, 20);
        }
    }

    @Test
    void manyMatchesPerIdentityUseTheGeneralSort() {
        Random rnd = new Random(11);
        Problem p = Problem.random(rnd, 5, 2000, 2, false); // about 1000 images per identity
        ReidMetrics m = ReidEvaluator.evaluate(p.dist, p.qPids, p.gPids, p.qCams, p.gCams, 50);
        Reference.assertSame(p, m, 50);
    }

    @Test
    void streamingEqualsInMemory() {
        Problem p = Problem.random(new Random(3), 200, 1500, 40, false);
        ReidMetrics inMemory = ReidEvaluator.evaluate(p.dist, p.qPids, p.gPids, p.qCams, p.gCams, 50);
        QueryRowSource rows = (q, row) -> System.arraycopy(p.dist[q], 0, row, 0, row.length);
        ReidMetrics oneThread = ReidEvaluator.evaluate(rows, p.qPids, p.gPids, p.qCams, p.gCams, 50, 1);
        ReidMetrics twoThreads = ReidEvaluator.evaluate(rows, p.qPids, p.gPids, p.qCams, p.gCams, 50, 2);
        assertThat(oneThread).isEqualTo(inMemory);
        assertThat(twoThreads).isEqualTo(inMemory);

        ReidAccumulator backwards = new ReidAccumulator(p.qPids, p.gPids, p.qCams, p.gCams, 50);
        for (int q = p.qPids.length - 1; q >= 0; q--) {
            backwards.add(q, p.dist[q]);
        }
        assertThat(backwards.finish()).isEqualTo(inMemory);
    }

    @Test
    void workerFailuresSurfaceWithTheirMessage() {
        Problem p = Problem.random(new Random(4), 20, 50, 5, false);
        QueryRowSource broken = (q, row) -> {
            System.arraycopy(p.dist[q], 0, row, 0, row.length);
            if (q == 13) {
                row[7] = Double.NaN;
            }
        };
        assertThatThrownBy(() -> ReidEvaluator.evaluate(broken, p.qPids, p.gPids, p.qCams, p.gCams, 10, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query 13 to gallery item 7 is NaN");
    }

    @Test
    void floatRowsGiveTheSameResultAsTheirDoubleValues() {
        Problem p = Problem.random(new Random(5), 30, 200, 10, false);
        float[][] f = new float[p.dist.length][];
        double[][] widened = new double[p.dist.length][];
        for (int q = 0; q < f.length; q++) {
            f[q] = new float[p.dist[q].length];
            widened[q] = new double[f[q].length];
            for (int j = 0; j < f[q].length; j++) {
                f[q][j] = (float) p.dist[q][j];
                widened[q][j] = f[q][j];
            }
        }
        assertThat(ReidEvaluator.evaluate(f, p.qPids, p.gPids, p.qCams, p.gCams, 10))
                .isEqualTo(ReidEvaluator.evaluate(widened, p.qPids, p.gPids, p.qCams, p.gCams, 10));
    }

    @Test
    void rejectsBadInput() {
        double[][] d = {{0.1, 0.2}};
        int[] one = {1};
        int[] two = {1, 2};
        assertThatThrownBy(() -> ReidEvaluator.evaluate(d, one, two, new int[] {0, 1}, two, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("qPids has length 1 but qCams has length 2");
        assertThatThrownBy(() -> ReidEvaluator.evaluate(d, one, two, one, new int[] {1}, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gPids has length 2 but gCams has length 1");
        assertThatThrownBy(() -> ReidEvaluator.evaluate(new double[][] {{0.1, 0.2, 0.3}}, one, two, one, two, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 0 has 3 columns but gPids has length 2");
        assertThatThrownBy(() -> ReidEvaluator.evaluate(new double[][] {{0.1, 0.2}, {0.3, 0.4}}, one, two, one,
                two, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distmat has 2 rows but qPids has length 1");
        assertThatThrownBy(() -> ReidEvaluator.evaluate(new double[][] {{0.1, Double.NaN}}, one, two, one,
                new int[] {3, 3}, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query 0 to gallery item 1 is NaN");
        assertThatThrownBy(() -> ReidEvaluator.evaluate(d, one, two, one, two, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRank must be >= 1, got 0");
        // query pid 1 cam 1, its only gallery image g0 is also cam 1
        assertThatThrownBy(() -> ReidEvaluator.evaluate(d, one, two, one, new int[] {1, 2}, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all 1 queries are invalid");
    }

    @Test
    void accumulatorRefusesDuplicateAndMissingQueries() {
        ReidAccumulator acc = new ReidAccumulator(new int[] {1, 2}, new int[] {1, 2}, new int[] {0, 0},
                new int[] {1, 1}, 5);
        acc.add(0, new double[] {0.1, 0.2});
        assertThatThrownBy(() -> acc.add(0, new double[] {0.1, 0.2}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("query 0 was already added");
        assertThatThrownBy(acc::finish)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("first: query 1");
        assertThatThrownBy(() -> acc.add(2, new double[] {0.1, 0.2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query index 2 outside 0..1");
    }

    /** A random problem with few cameras, so that same-camera removals and skipped queries occur. */
    record Problem(double[][] dist, int[] qPids, int[] gPids, int[] qCams, int[] gCams) {
        static Problem random(Random rnd, int nq, int ng, int ids, boolean withTies) {
            int[] qPids = new int[nq];
            int[] qCams = new int[nq];
            int[] gPids = new int[ng];
            int[] gCams = new int[ng];
            double[][] d = new double[nq][ng];
            for (int j = 0; j < ng; j++) {
                gPids[j] = rnd.nextInt(ids + 2) - 1; // includes 0 and -1 as distractors
                gCams[j] = rnd.nextInt(3);
            }
            for (int q = 0; q < nq; q++) {
                qPids[q] = 1 + rnd.nextInt(ids + 1); // may be absent from the gallery
                qCams[q] = rnd.nextInt(3);
                for (int j = 0; j < ng; j++) {
                    double base = gPids[j] == qPids[q] ? 0.3 : 0.6;
                    double x = base + 0.4 * rnd.nextDouble();
                    d[q][j] = withTies ? Math.round(x * 10) / 10.0 : x;
                }
            }
            return new Problem(d, qPids, gPids, qCams, gCams);
        }
    }

    /** torchreid's procedure spelled out literally: full stable sort, filter, cumulative sums. */
    static final class Reference {
        static int validCount(Problem p) {
            int n = 0;
            for (int q = 0; q < p.qPids.length; q++) {
                if (filtered(p, q).contains(Boolean.TRUE)) {
                    n++;
                }
            }
            return n;
        }

        static List<Boolean> filtered(Problem p, int q) {
            List<Integer> order = new ArrayList<>();
            for (int j = 0; j < p.gPids.length; j++) {
                order.add(j);
            }
            order.sort(Comparator.comparingDouble(j -> p.dist[q][j])); // stable
            List<Boolean> matches = new ArrayList<>();
            for (int j : order) {
                boolean samePid = p.gPids[j] == p.qPids[q];
                if (samePid && p.gCams[j] == p.qCams[q]) {
                    continue;
                }
                matches.add(samePid);
            }
            return matches;
        }

        static void assertSame(Problem p, ReidMetrics m, int maxRank) {
            int r = Math.min(maxRank, p.gPids.length);
            double[] cmc = new double[r];
            List<Double> aps = new ArrayList<>();
            List<Double> inps = new ArrayList<>();
            for (int q = 0; q < p.qPids.length; q++) {
                List<Boolean> f = filtered(p, q);
                if (!f.contains(Boolean.TRUE)) {
                    continue;
                }
                int hits = 0;
                double ap = 0;
                int last = -1;
                for (int h = 0; h < f.size(); h++) {
                    if (f.get(h)) {
                        hits++;
                        ap += hits / (double) (h + 1);
                        last = h;
                    }
                    if (h < r && hits > 0) {
                        cmc[h]++;
                    }
                }
                for (int h = f.size(); h < r; h++) {
                    cmc[h]++;
                }
                aps.add(ap / hits);
                inps.add(hits / (double) (last + 1));
            }
            assertThat(m.numValidQueries()).isEqualTo(aps.size());
            for (int k = 0; k < r; k++) {
                assertThat(m.cmc()[k]).isCloseTo(cmc[k] / aps.size(), within(1e-12));
            }
            for (int i = 0; i < aps.size(); i++) {
                assertThat(m.perQueryAP()[i]).isCloseTo(aps.get(i), within(1e-12));
                assertThat(m.perQueryINP()[i]).isCloseTo(inps.get(i), within(1e-12));
            }
        }
    }
}
