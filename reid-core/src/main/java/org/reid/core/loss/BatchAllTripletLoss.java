package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.reducer.AvgNonZeroReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * Batch-all triplet loss, as PML's {@code TripletMarginLoss} without a miner: every valid triplet
 * {@code (a, p, n)} with {@code p} a positive and {@code n} a negative of anchor {@code a}, each
 * {@code relu(d_ap - d_an + margin)} (or its softplus), averaged over the triplets with non-zero
 * loss. Builds a {@code [B, B, B]} tensor, which is fine for re-ID batch sizes (B = 64: 262k).
 *
 * <p>Parameters: {@code margin} (0.3), {@code soft} (false), {@code distance}
 * (euclidean|squared-euclidean, euclidean), {@code normalize} (false).
 */
public final class BatchAllTripletLoss extends MetricLoss {
    public static final String NAME = "batch-all";

    private final TripletPenalty penalty;
    private final LpDistance distance;
    private final Reducer reducer = new AvgNonZeroReducer();

    /** From named parameters (see the class comment). */
    public BatchAllTripletLoss(LossParams params) {
        super(NAME);
        this.penalty = TripletPenalty.from(params);
        this.distance = ParamRules.euclidean(params, false);
    }

    public BatchAllTripletLoss(double margin, boolean soft, LpDistance distance) {
        super(NAME);
        this.penalty = new TripletPenalty(NAME, margin, soft);
        this.distance = distance;
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        NDArray d = distance.pairwise(embeddings);
        // valid[a, p, n] = pos[a, p] * neg[a, n]
        NDArray valid = batch.positiveMask().expandDims(2).mul(batch.negativeMask().expandDims(1));
        NDArray losses = penalty.apply(d.expandDims(2), d.expandDims(1)).mul(valid);
        return reducer.reduce(losses);
    }
}
