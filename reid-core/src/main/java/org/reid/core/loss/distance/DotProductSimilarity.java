package org.reid.core.loss.distance;

import ai.djl.ndarray.NDArray;

/** Dot product similarity, optionally of L2-normalised rows. Larger is closer. */
public final class DotProductSimilarity implements Distance {
    private final boolean normalize;

    public DotProductSimilarity(boolean normalize) {
        this.normalize = normalize;
    }

    @Override
    public NDArray pairwise(NDArray query, NDArray ref) {
        NDArray q = normalize ? Distance.l2Normalize(query) : query;
        NDArray r = normalize ? Distance.l2Normalize(ref) : ref;
        return q.matMul(r.transpose());
    }

    @Override
    public boolean isSimilarity() {
        return true;
    }
}
