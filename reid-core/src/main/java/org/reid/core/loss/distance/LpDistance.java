package org.reid.core.loss.distance;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;

/**
 * Euclidean distance {@code ||x_i - y_j||} raised to {@code power} (1: plain, 2: squared), with
 * optional L2 normalisation of the rows first. Computed with one matrix product; the squared
 * distance is clamped at 0 against rounding, and the square root is taken of at least 1e-12 so
 * that identical rows (the diagonal) get a zero, not an infinite, gradient.
 */
public final class LpDistance implements Distance {
    private final boolean normalize;
    private final int power;

    public LpDistance(boolean normalize, int power) {
        if (power != 1 && power != 2) {
            throw new IllegalArgumentException("LpDistance power must be 1 or 2, got " + power);
        }
        this.normalize = normalize;
        this.power = power;
    }

    /** Plain Euclidean distance without normalisation. */
    public static LpDistance euclidean() {
        return new LpDistance(false, 1);
    }

    /** Squared Euclidean distance without normalisation. */
    public static LpDistance squaredEuclidean() {
        return new LpDistance(false, 2);
    }

    @Override
    public NDArray pairwise(NDArray query, NDArray ref) {
        NDArray q = normalize ? Distance.l2Normalize(query) : query;
        NDArray r = normalize ? Distance.l2Normalize(ref) : ref;
        NDArray qq = q.square().sum(new int[] {1}, true);
        NDArray rr = r.square().sum(new int[] {1}, true).transpose();
        // SafeScalars: mul/maximum(Number) lose their constant before backward (DJL use-after-free).
        NDArray squared = SafeScalars.maximum(qq.add(rr).sub(SafeScalars.mul(q.matMul(r.transpose()), 2)), 0);
        return power == 2 ? squared : SafeScalars.maximum(squared, 1e-12).sqrt();
    }

    @Override
    public boolean isSimilarity() {
        return false;
    }

    public boolean normalize() {
        return normalize;
    }

    public int power() {
        return power;
    }
}
