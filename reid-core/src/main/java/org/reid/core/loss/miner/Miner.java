package org.reid.core.loss.miner;

import ai.djl.ndarray.NDArray;
import org.reid.core.loss.BatchLabels;

/**
 * Chooses the informative pairs or triplets of a batch, as PML's miners, so that which items a
 * loss trains on is a part of its own, swappable independently of the loss formula.
 *
 * <p>Unlike PML, where a miner computes its own distance, a miner here reads the pairwise matrix
 * the loss has already computed: mining then always agrees with the loss's distance (as in every
 * PML configuration this code base reproduces) and the matrix is computed once. A miner is built
 * knowing whether that matrix holds distances or similarities.
 */
public interface Miner {

    /** The name a loss parameter or {@code train --miner} chooses this miner by. */
    String name();

    /**
     * Mines the batch. The choice is discrete and made without gradient (PML mines under
     * {@code no_grad}); the loss then gathers the chosen entries of {@code pairwise} with gradient.
     *
     * @param pairwise the loss's {@code [B, B]} distance or similarity matrix of the batch
     * @param batch the batch's labels
     */
    IndicesTuple mine(NDArray pairwise, BatchLabels batch);
}
