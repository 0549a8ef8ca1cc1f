package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;

/** Mined (anchor, positive, negative) index triplets of a batch, as PML's indices tuple. */
public final class Triplets {
    private final int batchSize;
    private final int[] anchors;
    private final int[] positives;
    private final int[] negatives;

    public Triplets(int batchSize, int[] anchors, int[] positives, int[] negatives) {
        if (anchors.length != positives.length || anchors.length != negatives.length) {
            throw new IllegalArgumentException("triplet index arrays differ in length: " + anchors.length
                    + ", " + positives.length + ", " + negatives.length);
        }
        this.batchSize = batchSize;
        this.anchors = anchors.clone();
        this.positives = positives.clone();
        this.negatives = negatives.clone();
    }

    public int size() {
        return anchors.length;
    }

    public boolean isEmpty() {
        return anchors.length == 0;
    }

    public int anchor(int t) {
        return anchors[t];
    }

    public int positive(int t) {
        return positives[t];
    }

    public int negative(int t) {
        return negatives[t];
    }

    /** {@code mat[anchor_t, positive_t]} for every triplet: {@code [T]}, differentiable. */
    public NDArray anchorPositive(NDArray mat) {
        return pick(mat, positives);
    }

    /** {@code mat[anchor_t, negative_t]} for every triplet: {@code [T]}, differentiable. */
    public NDArray anchorNegative(NDArray mat) {
        return pick(mat, negatives);
    }

    private NDArray pick(NDArray mat, int[] others) {
        long[] flat = new long[anchors.length];
        for (int t = 0; t < flat.length; t++) {
            flat[t] = (long) anchors[t] * batchSize + others[t];
        }
        return mat.take(mat.getManager().create(flat));
    }
}
