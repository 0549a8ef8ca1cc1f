package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Mined (anchor, positive, negative) index triplets of a batch, as PML's indices tuple. */
public final class Triplets implements IndicesTuple {
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

    @Override
    public NDArray positiveMask(NDManager manager, DataType type) {
        return pairMask(positives, manager, type);
    }

    @Override
    public NDArray negativeMask(NDManager manager, DataType type) {
        return pairMask(negatives, manager, type);
    }

    private NDArray pairMask(int[] others, NDManager manager, DataType type) {
        float[] flat = new float[batchSize * batchSize];
        for (int t = 0; t < anchors.length; t++) {
            flat[anchors[t] * batchSize + others[t]] = 1f;
        }
        return manager.create(flat, new Shape(batchSize, batchSize)).toType(type, false);
    }

    private NDArray pick(NDArray mat, int[] others) {
        long[] flat = new long[anchors.length];
        for (int t = 0; t < flat.length; t++) {
            flat[t] = (long) anchors[t] * batchSize + others[t];
        }
        return mat.take(mat.getManager().create(flat));
    }
}
