package org.reid.core.loss;

import ai.djl.ndarray.NDArray;

/** How per-item losses become one scalar (PML's reducers). */
public final class Reducers {
    private Reducers() {}

    /** Mean over the items whose loss is strictly positive; exactly 0 (and zero gradient) if none. */
    public static NDArray avgNonZero(NDArray losses) {
        NDArray count = losses.gt(0).toType(losses.getDataType(), false).sum();
        return losses.sum().div(count.maximum(1));
    }

    /** Plain mean over all items. */
    public static NDArray mean(NDArray losses) {
        return losses.mean();
    }
}
