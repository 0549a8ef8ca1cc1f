package org.reid.core.loss.reducer;

import ai.djl.ndarray.NDArray;

/** PML's {@code MeanReducer}: the mean over the valid items; 0 when there is none. */
public final class MeanReducer implements Reducer {
    public static final String NAME = "mean";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray reduce(NDArray losses, NDArray valid) {
        if (valid == null) {
            return losses.mean();
        }
        return losses.mul(valid).sum().div(valid.sum().maximum(1));
    }
}
