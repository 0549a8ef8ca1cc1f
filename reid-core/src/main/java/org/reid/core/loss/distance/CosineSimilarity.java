package org.reid.core.loss.distance;

import ai.djl.ndarray.NDArray;

/** Cosine similarity: rows L2-normalised, then dot products. Larger is closer. */
public final class CosineSimilarity implements Distance {
    @Override
    public NDArray pairwise(NDArray query, NDArray ref) {
        return Distance.l2Normalize(query).matMul(Distance.l2Normalize(ref).transpose());
    }

    @Override
    public boolean isSimilarity() {
        return true;
    }
}
