package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.reid.core.loss.BatchLabels;

/**
 * Easy-positive / hard-negative (EPHN) mining of Xuan et al., as their code does it: for every
 * anchor, over cosine similarities of L2-normalised embeddings, the most similar other sample of
 * its identity (the easy positive) and the most similar sample of another identity (the hard
 * negative). The choice is made on detached similarities; the selected similarities keep their
 * gradient, so the loss moves anchor, positive and negative.
 *
 * <p>Two rules of the authors' code are kept: a positive more similar than
 * {@value #DUPLICATE_SIMILARITY} is taken for a duplicate image and is not a candidate, and an
 * anchor is left out (not kept) when its selected positive or negative similarity is not above 0,
 * which also covers an anchor without any positive or negative in the batch. Everything stays on
 * the embeddings' device: no host transfer.
 */
public final class EasyPositiveHardNegativeMiner {

    /** Positives at least this similar are treated as duplicates of the anchor and skipped. */
    public static final double DUPLICATE_SIMILARITY = 0.9999;

    /** Below every cosine similarity: marks a cell that is no candidate. */
    private static final double NO_CANDIDATE = -2.0;

    /**
     * Mines one triplet per anchor.
     *
     * @param similarity {@code [B, B]} cosine similarities of the batch (differentiable)
     * @param batch the batch's labels
     */
    public EphnTriplets mine(NDArray similarity, BatchLabels batch) {
        int n = batch.size();
        DataType type = similarity.getDataType();
        NDArray s = similarity.stopGradient();
        NDArray notDuplicate = s.lte(DUPLICATE_SIMILARITY).toType(type, false);
        NDArray positiveCandidates = batch.positiveMask().mul(notDuplicate);
        NDArray negativeCandidates = batch.negativeMask();

        NDArray positivePick = pick(s, positiveCandidates, n, type);
        NDArray negativePick = pick(s, negativeCandidates, n, type);
        NDArray positive = similarity.mul(positivePick).sum(new int[] {1});
        NDArray negative = similarity.mul(negativePick).sum(new int[] {1});
        NDArray bestPositive = candidatesOnly(s, positiveCandidates).max(new int[] {1});
        NDArray bestNegative = candidatesOnly(s, negativeCandidates).max(new int[] {1});
        NDArray kept = bestPositive.gt(0).logicalAnd(bestNegative.gt(0)).toType(type, false);
        return new EphnTriplets(positive, negative, kept);
    }

    /** One-hot {@code [B, B]} of the most similar candidate of each row. */
    private static NDArray pick(NDArray s, NDArray candidates, int n, DataType type) {
        return candidatesOnly(s, candidates).argMax(1).oneHot(n).toType(type, false);
    }

    private static NDArray candidatesOnly(NDArray s, NDArray candidates) {
        // s where a candidate, NO_CANDIDATE elsewhere.
        return s.mul(candidates).add(candidates.sub(1).mul(-NO_CANDIDATE));
    }
}
