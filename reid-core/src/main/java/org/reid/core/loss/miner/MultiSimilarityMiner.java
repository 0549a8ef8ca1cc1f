package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import org.reid.core.loss.BatchLabels;

/**
 * Valid-triplet-based hard mining (VTHM, Wang et al., "A unified view", section 5.1; PML
 * {@code MultiSimilarityMiner}) on a similarity matrix {@code s}. For each anchor i, a positive j
 * is kept when {@code s_ij - epsilon < max_{k in N(i)} s_ik} and a negative k is kept when
 * {@code s_ik + epsilon > min_{j in P(i)} s_ij}; both comparisons are strict, so an anchor
 * without negatives keeps no positive and one without positives keeps no negative.
 */
public final class MultiSimilarityMiner {
    private final double epsilon;

    public MultiSimilarityMiner(double epsilon) {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("MultiSimilarityMiner epsilon must be a finite number >= 0, got "
                    + epsilon);
        }
        this.epsilon = epsilon;
    }

    public double epsilon() {
        return epsilon;
    }

    /** The informative pairs of the {@code [B, B]} similarity matrix {@code similarities}. */
    public MinedPairs mine(NDArray similarities, BatchLabels batch) {
        int n = batch.size();
        double[][] s = HostMatrix.of(similarities, n);
        boolean[][] pos = new boolean[n][n];
        boolean[][] neg = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            double hardestNeg = Double.NEGATIVE_INFINITY;
            double hardestPos = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                if (batch.same(i, j)) {
                    hardestPos = Math.min(hardestPos, s[i][j]);
                } else {
                    hardestNeg = Math.max(hardestNeg, s[i][j]);
                }
            }
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                if (batch.same(i, j)) {
                    pos[i][j] = s[i][j] - epsilon < hardestNeg;
                } else {
                    neg[i][j] = s[i][j] + epsilon > hardestPos;
                }
            }
        }
        return new MinedPairs(pos, neg);
    }
}
