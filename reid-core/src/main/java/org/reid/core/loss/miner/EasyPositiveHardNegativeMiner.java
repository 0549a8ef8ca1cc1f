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
 * which also covers an anchor without any positive or negative in the batch.
 *
 * <p>Two ways out: {@link #select} keeps everything on the embeddings' device (no host transfer),
 * for the EPHN losses that need one triplet per anchor every step; {@link #mine} returns the kept
 * triplets as indices, so any triplet or pair loss can take this miner. Both make the same choice.
 */
public final class EasyPositiveHardNegativeMiner implements Miner {
    public static final String NAME = "ephn";

    /** Positives at least this similar are treated as duplicates of the anchor and skipped. */
    public static final double DUPLICATE_SIMILARITY = 0.9999;

    /** Below every cosine similarity: marks a cell that is no candidate. */
    private static final double NO_CANDIDATE = -2.0;

    @Override
    public String name() {
        return NAME;
    }

    /**
     * One triplet per anchor, on the device.
     *
     * @param similarity {@code [B, B]} cosine similarities of the batch (differentiable)
     * @param batch the batch's labels
     */
    public EphnTriplets select(NDArray similarity, BatchLabels batch) {
        Choice c = choose(similarity, batch);
        NDArray positive = similarity.mul(oneHot(c.positive(), similarity)).sum(new int[] {1});
        NDArray negative = similarity.mul(oneHot(c.negative(), similarity)).sum(new int[] {1});
        return new EphnTriplets(positive, negative, c.kept());
    }

    /**
     * The kept anchors' triplets as indices, in anchor order.
     *
     * @param similarity {@code [B, B]} cosine similarities of the batch
     */
    @Override
    public Triplets mine(NDArray similarity, BatchLabels batch) {
        Choice c = choose(similarity, batch);
        long[] p = c.positive().toType(DataType.INT64, false).toLongArray();
        long[] neg = c.negative().toType(DataType.INT64, false).toLongArray();
        float[] kept = c.kept().toType(DataType.FLOAT32, false).toFloatArray();
        int n = batch.size();
        int[] a = new int[n];
        int[] pos = new int[n];
        int[] ng = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (kept[i] > 0) {
                a[count] = i;
                pos[count] = (int) p[i];
                ng[count] = (int) neg[i];
                count++;
            }
        }
        return new Triplets(n, java.util.Arrays.copyOf(a, count), java.util.Arrays.copyOf(pos, count),
                java.util.Arrays.copyOf(ng, count));
    }

    /** Per anchor: the index of its positive and of its negative, and whether it is kept. */
    private record Choice(NDArray positive, NDArray negative, NDArray kept) {}

    private static Choice choose(NDArray similarity, BatchLabels batch) {
        DataType type = similarity.getDataType();
        NDArray s = similarity.stopGradient();
        NDArray notDuplicate = s.lte(DUPLICATE_SIMILARITY).toType(type, false);
        NDArray positiveCandidates = batch.positiveMask().mul(notDuplicate);
        NDArray negativeCandidates = batch.negativeMask();

        NDArray positive = candidatesOnly(s, positiveCandidates).argMax(1);
        NDArray negative = candidatesOnly(s, negativeCandidates).argMax(1);
        NDArray bestPositive = candidatesOnly(s, positiveCandidates).max(new int[] {1});
        NDArray bestNegative = candidatesOnly(s, negativeCandidates).max(new int[] {1});
        NDArray kept = bestPositive.gt(0).logicalAnd(bestNegative.gt(0)).toType(type, false);
        return new Choice(positive, negative, kept);
    }

    /** One-hot {@code [B, B]} rows of {@code index}, in the similarities' type. */
    private static NDArray oneHot(NDArray index, NDArray similarity) {
        return index.oneHot((int) similarity.getShape().get(0)).toType(similarity.getDataType(), false);
    }

    private static NDArray candidatesOnly(NDArray s, NDArray candidates) {
        // s where a candidate, NO_CANDIDATE elsewhere.
        return s.mul(candidates).add(candidates.sub(1).mul(-NO_CANDIDATE));
    }
}
