package org.reid.core.loss;

import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.miner.BatchHardMiner;
import org.reid.core.loss.reducer.AvgNonZeroReducer;

/**
 * Batch-hard triplet loss (Hermans et al. 2017): the name for {@link TripletMarginLoss} with a
 * {@link BatchHardMiner}, as PML composes it: one triplet per anchor (hardest positive, hardest
 * negative), averaged over the triplets with non-zero loss. When every triplet is satisfied the
 * value and the gradient are exactly 0. The same as {@code triplet} with miner {@code batch-hard}.
 *
 * <p>Parameters: {@code margin} (0.3), {@code soft} (false), {@code distance}
 * (euclidean|squared-euclidean, euclidean), {@code normalize} (false).
 */
public final class BatchHardTripletLoss extends TripletMarginLoss {
    public static final String NAME = "batch-hard";

    /** From named parameters (see the class comment). */
    public BatchHardTripletLoss(LossParams params) {
        super(NAME, params, distance -> new BatchHardMiner(distance.isSimilarity()));
    }

    /**
     * @param margin triplet margin, >= 0
     * @param soft softplus instead of hinge
     * @param distance Euclidean or squared Euclidean, optionally on normalised rows
     */
    public BatchHardTripletLoss(double margin, boolean soft, LpDistance distance) {
        super(NAME, new TripletPenalty(NAME, margin, soft), distance, new BatchHardMiner(distance.isSimilarity()),
                new AvgNonZeroReducer());
    }
}
