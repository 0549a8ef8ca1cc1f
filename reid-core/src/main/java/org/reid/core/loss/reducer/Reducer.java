package org.reid.core.loss.reducer;

import ai.djl.ndarray.NDArray;

/**
 * How a loss turns its per-item losses into one scalar, as pytorch-metric-learning's reducers: a
 * part of the loss that can be swapped without touching what the items are or how they are mined.
 */
public interface Reducer {

    /** The name a loss parameter chooses this reducer by ({@code reducer=mean}). */
    String name();

    /**
     * The scalar from {@code losses}, counting only the items where {@code valid} is 1; {@code valid}
     * has the shape of {@code losses}, or is null when every item counts. A mask rather than a
     * gathered list lets a loss keep a dense tensor (all {@code (a, p, n)} of a batch) whose
     * invalid cells are not items at all.
     */
    NDArray reduce(NDArray losses, NDArray valid);

    /** The scalar from {@code losses}, every item counting. */
    default NDArray reduce(NDArray losses) {
        return reduce(losses, null);
    }
}
