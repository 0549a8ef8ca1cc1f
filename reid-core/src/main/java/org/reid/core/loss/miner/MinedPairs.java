package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Mined positive and negative pairs {@code (anchor, other)} of a batch, kept as two masks. */
public final class MinedPairs implements IndicesTuple {
    private final boolean[][] positive;
    private final boolean[][] negative;

    MinedPairs(boolean[][] positive, boolean[][] negative) {
        this.positive = positive;
        this.negative = negative;
    }

    public boolean isPositive(int anchor, int other) {
        return positive[anchor][other];
    }

    public boolean isNegative(int anchor, int other) {
        return negative[anchor][other];
    }

    public int positiveCount() {
        return count(positive);
    }

    public int negativeCount() {
        return count(negative);
    }

    /** 1 at each mined positive pair, else 0: {@code [B, B]} in {@code type}. */
    @Override
    public NDArray positiveMask(NDManager manager, DataType type) {
        return mask(positive, manager, type);
    }

    /** 1 at each mined negative pair, else 0: {@code [B, B]} in {@code type}. */
    @Override
    public NDArray negativeMask(NDManager manager, DataType type) {
        return mask(negative, manager, type);
    }

    private static int count(boolean[][] m) {
        int c = 0;
        for (boolean[] row : m) {
            for (boolean b : row) {
                c += b ? 1 : 0;
            }
        }
        return c;
    }

    private static NDArray mask(boolean[][] m, NDManager manager, DataType type) {
        int n = m.length;
        float[] flat = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                flat[i * n + j] = m[i][j] ? 1f : 0f;
            }
        }
        return manager.create(flat, new Shape(n, n)).toType(type, false);
    }
}
