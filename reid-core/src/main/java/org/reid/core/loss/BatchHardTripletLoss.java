package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.miner.BatchHardMiner;
import org.reid.core.loss.miner.Triplets;
import org.reid.core.loss.reducer.AvgNonZeroReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * Batch-hard triplet loss (Hermans et al. 2017), as PML's {@code TripletMarginLoss} with a
 * {@code BatchHardMiner}: one triplet per anchor (hardest positive, hardest negative), each
 * {@code relu(d_ap - d_an + margin)} (or its softplus), averaged over the triplets with non-zero
 * loss. When every triplet is satisfied the value and the gradient are exactly 0.
 *
 * <p>Parameters: {@code margin} (0.3), {@code soft} (false), {@code distance}
 * (euclidean|squared-euclidean, euclidean), {@code normalize} (false).
 */
public final class BatchHardTripletLoss extends MetricLoss {
    public static final String NAME = "batch-hard";

    private final TripletPenalty penalty;
    private final LpDistance distance;
    private final BatchHardMiner miner = new BatchHardMiner(false);
    private final Reducer reducer = new AvgNonZeroReducer();

    /** From named parameters (see the class comment). */
    public BatchHardTripletLoss(LossParams params) {
        super(NAME);
        this.penalty = TripletPenalty.from(params);
        this.distance = ParamRules.euclidean(params, false);
    }

    /**
     * @param margin triplet margin, >= 0
     * @param soft softplus instead of hinge
     * @param distance Euclidean or squared Euclidean, optionally on normalised rows
     */
    public BatchHardTripletLoss(double margin, boolean soft, LpDistance distance) {
        super(NAME);
        this.penalty = new TripletPenalty(NAME, margin, soft);
        this.distance = distance;
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        NDArray d = distance.pairwise(embeddings);
        Triplets triplets = miner.mine(d, batch);
        if (triplets.isEmpty()) {
            return SafeScalars.mul(d.sum(), 0);
        }
        NDArray losses = penalty.apply(triplets.anchorPositive(d), triplets.anchorNegative(d));
        return reducer.reduce(losses);
    }
}
