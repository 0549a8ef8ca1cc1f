package org.reid.core.loss.miner;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reid.core.loss.BatchLabels;
import org.reid.core.loss.distance.CosineSimilarity;
import org.reid.core.testing.NDManagerPerTest;

/** The miners behind the common {@link Miner} interface, beyond what PML's oracle covers. */
class MinersTest extends NDManagerPerTest {
    private BatchLabels batch(long... ids) {
        return BatchLabels.of("test", manager.create(ids), manager.zeros(new Shape(ids.length, 2)),
                BatchLabels.Requirement.ANY);
    }

    @Test
    void multiSimilarityMinerOnDistancesFollowsPmlsMirroredRule() {
        // Points 0, 1, 1.5, 4 on a line, identities 0, 0, 1, 1, epsilon 0.1. PML on a distance:
        // positive (a, p) kept when d_ap + eps > min_n d_an, negative (a, n) when d_an - eps <
        // max_p d_ap. Anchor 0: 1.1 > 1.5 no; 1.4 < 1, 3.9 < 1 no. Anchor 1: 1.1 > 0.5 keeps (1,0);
        // 0.4 < 1 keeps (1,2), 2.9 < 1 no. Anchor 2: 2.6 > 0.5 keeps (2,3); 1.4 < 2.5 and 0.4 < 2.5
        // keep (2,0), (2,1). Anchor 3: 2.6 > 3 no; 3.9 < 2.5, 2.9 < 2.5 no.
        double[] p = {0, 1, 1.5, 4};
        double[][] d = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                d[i][j] = Math.abs(p[i] - p[j]);
            }
        }
        Miner miner = new MultiSimilarityMiner(0.1, false);
        MinedPairs pairs = (MinedPairs) miner.mine(manager.create(d), batch(0, 0, 1, 1));
        assertThat(pairsOf(pairs, true)).containsExactly("1,0", "2,3");
        assertThat(pairsOf(pairs, false)).containsExactly("1,2", "2,0", "2,1");
        assertThat(miner.name()).isEqualTo("multi-similarity");
    }

    @Test
    void ephnIndicesAreTheTripletsItsDeviceSelectionPicks() {
        // Identity 7 has one sample (no positive: left out) and rows 0 and 1 are duplicates
        // (similarity above 0.9999: not a positive of each other).
        Random r = new Random(5);
        double[][] x = new double[10][4];
        for (double[] row : x) {
            for (int k = 0; k < 4; k++) {
                row[k] = r.nextGaussian() + (k == 0 ? 1.5 : 0);
            }
        }
        x[1] = x[0].clone();
        long[] ids = {1, 1, 1, 2, 2, 2, 3, 3, 3, 7};
        NDArray s = new CosineSimilarity().pairwise(manager.create(x));
        EasyPositiveHardNegativeMiner miner = new EasyPositiveHardNegativeMiner();
        BatchLabels b = batch(ids);
        Triplets t = miner.mine(s, b);
        EphnTriplets device = miner.select(s, b);

        double[] sim = s.toDoubleArray();
        double[] sap = device.positive().toDoubleArray();
        double[] san = device.negative().toDoubleArray();
        double[] kept = device.kept().toDoubleArray();
        List<Integer> keptAnchors = new ArrayList<>();
        for (int a = 0; a < kept.length; a++) {
            if (kept[a] > 0) {
                keptAnchors.add(a);
            }
        }
        List<Integer> anchors = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            int a = t.anchor(i);
            anchors.add(a);
            assertThat(ids[t.positive(i)]).isEqualTo(ids[a]);
            assertThat(ids[t.negative(i)]).isNotEqualTo(ids[a]);
            assertThat(sim[a * 10 + t.positive(i)]).as("S_ap of anchor %d", a).isEqualTo(sap[a]);
            assertThat(sim[a * 10 + t.negative(i)]).as("S_an of anchor %d", a).isEqualTo(san[a]);
        }
        assertThat(anchors).isEqualTo(keptAnchors).doesNotContain(9).isNotEmpty();
        assertThat(t.positive(anchors.indexOf(0))).as("the duplicate is no positive").isNotEqualTo(1);
    }

    @Test
    void tripletsCountAsTheirAnchorPositiveAndAnchorNegativePairs() {
        Triplets t = new Triplets(4, new int[] {0, 1, 3}, new int[] {1, 0, 2}, new int[] {2, 3, 1});
        assertThat(ones(t.positiveMask(manager, DataType.FLOAT64))).containsExactly("0,1", "1,0", "3,2");
        assertThat(ones(t.negativeMask(manager, DataType.FLOAT64))).containsExactly("0,2", "1,3", "3,1");
    }

    private static List<String> pairsOf(MinedPairs pairs, boolean positive) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if (positive ? pairs.isPositive(i, j) : pairs.isNegative(i, j)) {
                    out.add(i + "," + j);
                }
            }
        }
        return out;
    }

    private static List<String> ones(NDArray mask) {
        double[] m = mask.toDoubleArray();
        int n = (int) mask.getShape().get(0);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 1) {
                out.add(i / n + "," + i % n);
            } else {
                assertThat(m[i]).isZero();
            }
        }
        return out;
    }
}
