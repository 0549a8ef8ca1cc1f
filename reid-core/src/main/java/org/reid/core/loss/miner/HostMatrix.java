package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A detached host copy of a square pairwise matrix. Mining is a discrete choice made without
 * gradient (PML mines under {@code no_grad}), so miners read the matrix once on the host.
 */
final class HostMatrix {
    private HostMatrix() {}

    static double[][] of(NDArray mat, int batchSize) {
        Shape s = mat.getShape();
        if (s.dimension() != 2 || s.get(0) != batchSize || s.get(1) != batchSize) {
            throw new IllegalArgumentException(
                    "pairwise matrix must be [" + batchSize + ", " + batchSize + "], got shape " + s);
        }
        double[] flat;
        try (NDArray detached = mat.stopGradient();
                NDArray f64 = detached.toType(DataType.FLOAT64, true)) {
            flat = f64.toDoubleArray();
        }
        double[][] out = new double[batchSize][batchSize];
        for (int i = 0; i < batchSize; i++) {
            System.arraycopy(flat, i * batchSize, out[i], 0, batchSize);
        }
        return out;
    }
}
