package org.reid.core.loss.distance;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;

/**
 * A pairwise comparison of embeddings, as in pytorch-metric-learning: either a distance (smaller
 * is closer) or a similarity (larger is closer). Differentiable through DJL autograd.
 */
public interface Distance {

    /** The {@code [B, B]} matrix comparing every row of {@code x} {@code [B, D]} with every other. */
    default NDArray pairwise(NDArray x) {
        return pairwise(x, x);
    }

    /** The {@code [Q, R]} matrix comparing every row of {@code query} with every row of {@code ref}. */
    NDArray pairwise(NDArray query, NDArray ref);

    /** True when larger values mean closer (cosine, dot product). */
    boolean isSimilarity();

    /**
     * Rows divided by their L2 norm, {@code x / max(||x||, 1e-12)} as PML does. The clamp is taken
     * on the squared norm ({@code sqrt(max(||x||^2, 1e-24))}, the same value) because the gradient
     * of {@code sqrt} at an all-zero row is 0 / 0 = NaN even when the clamp discards it.
     */
    static NDArray l2Normalize(NDArray x) {
        // SafeScalars: maximum(Number) loses its constant before backward (DJL use-after-free).
        NDArray norm = SafeScalars.maximum(x.square().sum(new int[] {1}, true), 1e-24).sqrt();
        return x.div(norm);
    }
}
