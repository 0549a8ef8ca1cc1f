package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Row-wise log-sum-exp over a masked subset of each row, as PML's {@code lmu.logsumexp}: stable
 * (the row maximum is subtracted, detached, before {@code exp}), 0 for a row whose subset is
 * empty, and never NaN: entries outside the mask become {@code -inf} before {@code exp}, so they
 * contribute exactly 0 to the value and to the gradient.
 */
final class LogSumExp {
    private LogSumExp() {}

    /**
     * {@code log(sum_{j: mask_ij > 0} exp(x_ij))} per row of {@code x} {@code [B, N]}, 0 where the
     * row's mask is empty. Returns {@code [B]}.
     */
    static NDArray masked(NDArray x, NDArray mask) {
        return compute(x, mask, false);
    }

    /**
     * {@code log(1 + sum_{j: mask_ij > 0} exp(x_ij))} per row: the log-sum-exp with one extra zero
     * logit, which is 0 for an empty row. Returns {@code [B]}.
     */
    static NDArray maskedWithOne(NDArray x, NDArray mask) {
        return compute(x, mask, true);
    }

    private static NDArray compute(NDArray x, NDArray mask, boolean addOne) {
        NDArray keep = mask.gt(0);
        NDArray hasAny = mask.sum(new int[] {1}, true).gt(0);
        NDArray masked = NDArrays.where(keep, x, x.zerosLike().sub(Double.POSITIVE_INFINITY));
        NDArray rowMax = masked.max(new int[] {1}, true).stopGradient();
        NDArray zero = rowMax.zerosLike();
        // The shift only stabilises exp; it carries no gradient. Empty rows shift by 0.
        NDArray shift = addOne ? rowMax.maximum(zero) : NDArrays.where(hasAny, rowMax, zero);
        NDArray sum = masked.sub(shift).exp().sum(new int[] {1}, true);
        if (addOne) {
            sum = sum.add(shift.neg().exp());
            return shift.add(sum.log()).squeeze(1);
        }
        NDArray safeSum = NDArrays.where(hasAny, sum, zero.add(1));
        return NDArrays.where(hasAny, shift.add(safeSum.log()), zero).squeeze(1);
    }
}
