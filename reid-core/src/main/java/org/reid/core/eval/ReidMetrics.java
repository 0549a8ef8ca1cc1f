package org.reid.core.eval;

import java.util.Arrays;

/**
 * Result of a re-ID evaluation under the Market-1501 protocol (see {@link ReidEvaluator}).
 *
 * <p>All averages are over the <em>valid</em> queries only, those with at least one true match
 * left after removing the query's own-camera images of its identity.
 *
 * @param cmc             {@code cmc[k]} is the rank-(k+1) accuracy; its length is
 *                        {@code min(maxRank, numGallery)}
 * @param mAP             mean average precision
 * @param mINP            mean inverse negative penalty (Ye et al. 2021, as fast-reid computes it)
 * @param numValidQueries number of queries that entered the averages
 * @param validQueryIndices indices of the valid queries, ascending
 * @param perQueryAP      average precision of each valid query, in {@code validQueryIndices} order
 * @param perQueryINP     inverse negative penalty of each valid query, same order
 */
public record ReidMetrics(
        double[] cmc,
        double mAP,
        double mINP,
        int numValidQueries,
        int[] validQueryIndices,
        double[] perQueryAP,
        double[] perQueryINP) {

    /** Defensive copies: a record of arrays would otherwise be mutable from outside. */
    public ReidMetrics {
        cmc = cmc.clone();
        validQueryIndices = validQueryIndices.clone();
        perQueryAP = perQueryAP.clone();
        perQueryINP = perQueryINP.clone();
    }

    @Override
    public double[] cmc() {
        return cmc.clone();
    }

    @Override
    public int[] validQueryIndices() {
        return validQueryIndices.clone();
    }

    @Override
    public double[] perQueryAP() {
        return perQueryAP.clone();
    }

    @Override
    public double[] perQueryINP() {
        return perQueryINP.clone();
    }

    /** Rank-k accuracy, 1-based ({@code rank(1)} is rank-1); k must be within the CMC length. */
    public double rank(int k) {
        if (k < 1 || k > cmc.length) {
            throw new IllegalArgumentException("rank k=" + k + " outside 1.." + cmc.length);
        }
        return cmc[k - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReidMetrics m
                && Arrays.equals(cmc, m.cmc)
                && Double.compare(mAP, m.mAP) == 0
                && Double.compare(mINP, m.mINP) == 0
                && numValidQueries == m.numValidQueries
                && Arrays.equals(validQueryIndices, m.validQueryIndices)
                && Arrays.equals(perQueryAP, m.perQueryAP)
                && Arrays.equals(perQueryINP, m.perQueryINP);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(cmc);
        h = 31 * h + Double.hashCode(mAP);
        h = 31 * h + Double.hashCode(mINP);
        h = 31 * h + numValidQueries;
        return 31 * h + Arrays.hashCode(validQueryIndices);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ReidMetrics[");
        for (int k : new int[] {1, 5, 10, 20}) {
            if (k <= cmc.length) {
                s.append("rank-").append(k).append('=').append(String.format("%.4f", cmc[k - 1])).append(", ");
            }
        }
        return s.append(String.format("mAP=%.4f, mINP=%.4f, validQueries=%d]", mAP, mINP, numValidQueries))
                .toString();
    }
}
