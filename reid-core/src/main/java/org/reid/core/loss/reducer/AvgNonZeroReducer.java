package org.reid.core.loss.reducer;

import ai.djl.ndarray.NDArray;

/**
 * PML's {@code AvgNonZeroReducer}: the mean over the valid items whose loss is strictly positive,
 * so satisfied triplets or pairs do not dilute the ones still learning; exactly 0 (and a zero
 * gradient) when none is positive.
 */
public final class AvgNonZeroReducer implements Reducer {
    public static final String NAME = "avg-non-zero";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray reduce(NDArray losses, NDArray valid) {
        NDArray counted = valid == null ? losses : losses.mul(valid);
        NDArray count = counted.gt(0).toType(counted.getDataType(), false).sum();
        return counted.sum().div(count.maximum(1));
    }
}
