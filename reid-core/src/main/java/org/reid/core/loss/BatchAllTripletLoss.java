package org.reid.core.loss;

import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.reducer.AvgNonZeroReducer;

/**
 * Batch-all triplet loss: the name for {@link TripletMarginLoss} without a miner, as PML: every
 * valid triplet {@code (a, p, n)}, averaged over the triplets with non-zero loss. The same as
 * {@code triplet} with no miner.
 *
 * <p>Parameters: {@code margin} (0.3), {@code soft} (false), {@code distance}
 * (euclidean|squared-euclidean, euclidean), {@code normalize} (false).
 */
public final class BatchAllTripletLoss extends TripletMarginLoss {
    public static final String NAME = "batch-all";

    /** From named parameters (see the class comment). */
    public BatchAllTripletLoss(LossParams params) {
        super(NAME, params, distance -> null);
    }

    public BatchAllTripletLoss(double margin, boolean soft, LpDistance distance) {
        super(NAME, new TripletPenalty(NAME, margin, soft), distance, null, new AvgNonZeroReducer());
    }
}
