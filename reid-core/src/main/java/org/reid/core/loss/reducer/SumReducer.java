package org.reid.core.loss.reducer;

import ai.djl.ndarray.NDArray;

/** PML's {@code SumReducer}: the sum over the valid items, so the scale grows with their number. */
public final class SumReducer implements Reducer {
    public static final String NAME = "sum";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public NDArray reduce(NDArray losses, NDArray valid) {
        return (valid == null ? losses : losses.mul(valid)).sum();
    }
}
