package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import org.reid.core.loss.BatchLabels;

/**
 * Batch-hard mining (Hermans et al. 2017; PML {@code BatchHardMiner}): for every anchor, its
 * hardest positive (farthest same-identity sample) and hardest negative (closest other-identity
 * sample). Anchors without a positive or without a negative are dropped. Works on a distance
 * matrix (smaller is closer) or a similarity matrix (larger is closer).
 */
public final class BatchHardMiner implements Miner {
    public static final String NAME = "batch-hard";

    private final boolean similarity;

    /** @param similarity true when the matrix to mine holds similarities, false for distances */
    public BatchHardMiner(boolean similarity) {
        this.similarity = similarity;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** One triplet per usable anchor, in anchor order, from the {@code [B, B]} matrix {@code mat}. */
    @Override
    public Triplets mine(NDArray mat, BatchLabels batch) {
        int n = batch.size();
        double[][] m = HostMatrix.of(mat, n);
        int[] a = new int[n];
        int[] p = new int[n];
        int[] neg = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int hardPos = -1;
            int hardNeg = -1;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                if (batch.same(i, j)) {
                    if (hardPos < 0 || harder(m[i][j], m[i][hardPos], true)) {
                        hardPos = j;
                    }
                } else if (hardNeg < 0 || harder(m[i][j], m[i][hardNeg], false)) {
                    hardNeg = j;
                }
            }
            if (hardPos >= 0 && hardNeg >= 0) {
                a[count] = i;
                p[count] = hardPos;
                neg[count] = hardNeg;
                count++;
            }
        }
        return new Triplets(n, java.util.Arrays.copyOf(a, count), java.util.Arrays.copyOf(p, count),
                java.util.Arrays.copyOf(neg, count));
    }

    /** Is {@code v} harder than the current choice {@code best}? Ties keep the first index, as argmax. */
    private boolean harder(double v, double best, boolean positive) {
        boolean farther = similarity ? v < best : v > best;
        boolean closer = similarity ? v > best : v < best;
        return positive ? farther : closer;
    }
}
