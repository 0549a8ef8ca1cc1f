package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * What a {@link Miner} returns, as PML's {@code indices_tuple}: mined triplets or mined pairs of a
 * batch. Either kind can feed a pair-based loss through the pair masks (triplets count as their
 * anchor-positive and anchor-negative pairs, PML's {@code convert_to_pairs}, kept as a set).
 */
public sealed interface IndicesTuple permits Triplets, MinedPairs {

    /** 1 at each mined positive pair {@code (anchor, positive)}, else 0: {@code [B, B]} in {@code type}. */
    NDArray positiveMask(NDManager manager, DataType type);

    /** 1 at each mined negative pair {@code (anchor, negative)}, else 0: {@code [B, B]} in {@code type}. */
    NDArray negativeMask(NDManager manager, DataType type);
}
