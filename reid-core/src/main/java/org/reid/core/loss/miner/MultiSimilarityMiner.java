package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import org.reid.core.loss.BatchLabels;

/**
 * Valid-triplet-based hard mining (VTHM, Wang et al., "A unified view", section 5.1; PML
 * {@code MultiSimilarityMiner}) on a similarity matrix {@code s}. For each anchor i, a positive j
 * is kept when {@code s_ij - epsilon < max_{k in N(i)} s_ik} and a negative k is kept when
 * {@code s_ik + epsilon > min_{j in P(i)} s_ij}; both comparisons are strict, so an anchor
 * without negatives keeps no positive and one without positives keeps no negative.
 *
 * <p>On a distance matrix {@code d} (smaller is closer) the rule is PML's mirror image: a positive
 * is kept when {@code d_ij + epsilon > min_{k in N(i)} d_ik}, a negative when
 * {@code d_ik - epsilon < max_{j in P(i)} d_ij}; this lets a triplet loss on Euclidean distances
 * take this miner, as in PML's own examples.
 */
public final class MultiSimilarityMiner implements Miner {
    public static final String NAME = "multi-similarity";

    private final double epsilon;
    private final boolean similarity;

    /** Mines a similarity matrix (cosine or dot product). */
    public MultiSimilarityMiner(double epsilon) {
        this(epsilon, true);
    }

    /** @param similarity true when the matrix to mine holds similarities, false for distances */
    public MultiSimilarityMiner(double epsilon, boolean similarity) {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("MultiSimilarityMiner epsilon must be a finite number >= 0, got "
                    + epsilon);
        }
        this.epsilon = epsilon;
        this.similarity = similarity;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The informative pairs of the {@code [B, B]} matrix {@code pairwise}. */
    @Override
    public MinedPairs mine(NDArray pairwise, BatchLabels batch) {
        int n = batch.size();
        // A distance is a similarity with its sign flipped: one rule serves both.
        double sign = similarity ? 1 : -1;
        double[][] s = HostMatrix.of(pairwise, n);
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
                    hardestPos = Math.min(hardestPos, sign * s[i][j]);
                } else {
                    hardestNeg = Math.max(hardestNeg, sign * s[i][j]);
                }
            }
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                if (batch.same(i, j)) {
                    pos[i][j] = sign * s[i][j] - epsilon < hardestNeg;
                } else {
                    neg[i][j] = sign * s[i][j] + epsilon > hardestPos;
                }
            }
        }
        return new MinedPairs(pos, neg);
    }
}
