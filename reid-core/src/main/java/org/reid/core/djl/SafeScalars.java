package org.reid.core.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Autograd-safe arithmetic with a constant, working around a use-after-free in DJL 0.35's PyTorch
 * engine on CPU.
 *
 * <p>{@code NDArray.mul(Number)}, {@code div(Number)}, {@code maximum(Number)} and
 * {@code minimum(Number)} wrap the constant in a tensor that points into a Java direct buffer
 * ({@code torch::from_blob}, no copy) and close that wrapper right after the operation. When the
 * operation records the constant for its backward pass (mul, div, maximum and minimum all do), the
 * buffer can be garbage-collected before {@code backward()} runs, and the gradient is then
 * computed from freed memory: zeros or values like 1e8, with a correct forward value. Measured
 * here: one {@code System.gc()} between forward and backward is enough. {@code add(Number)} and
 * {@code sub(Number)} are safe (their backward does not read the constant).
 *
 * <p>These helpers build the constant with PyTorch-owned memory instead, on the operand's device
 * and in its data type.
 */
public final class SafeScalars {
    private SafeScalars() {}

    /** A 0-d tensor holding {@code value}, in {@code like}'s data type and on its device. */
    public static NDArray scalarLike(NDArray like, double value) {
        // zeros() is allocated by PyTorch; add(Number) does not record its constant.
        // The cast matters: 0-d float32 + 0-d float64 promotes to float64 in PyTorch, which would
        // turn a float32 scalar loss into float64.
        return like.getManager().zeros(new Shape(), like.getDataType(), like.getDevice()).add(value)
                .toType(like.getDataType(), false);
    }

    /** {@code x * value}, differentiable in {@code x}. */
    public static NDArray mul(NDArray x, double value) {
        return x.mul(scalarLike(x, value));
    }

    /** {@code x / value}, differentiable in {@code x}. */
    public static NDArray div(NDArray x, double value) {
        return x.div(scalarLike(x, value));
    }

    /** Element-wise {@code max(x, value)}, differentiable in {@code x}. */
    public static NDArray maximum(NDArray x, double value) {
        return x.maximum(scalarLike(x, value));
    }
}
