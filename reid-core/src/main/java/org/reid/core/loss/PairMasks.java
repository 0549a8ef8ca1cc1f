package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.reid.core.loss.miner.IndicesTuple;

/** The positive and negative pair masks a loss works on, mined or not. */
final class PairMasks {
    private PairMasks() {}

    /**
     * {@code [B, B]} masks in the type and on the manager of {@code like}: every positive and
     * negative pair of the batch when {@code mined} is null (PML with no miner), else the mined
     * pairs (triplets give their anchor-positive and anchor-negative pairs).
     */
    static NDList of(IndicesTuple mined, BatchLabels batch, NDArray like) {
        if (mined == null) {
            return new NDList(batch.positiveMask(), batch.negativeMask());
        }
        return new NDList(mined.positiveMask(like.getManager(), like.getDataType()),
                mined.negativeMask(like.getManager(), like.getDataType()));
    }
}
