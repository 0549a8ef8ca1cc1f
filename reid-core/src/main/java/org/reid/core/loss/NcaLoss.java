package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * Neighbourhood components analysis loss (Goldberger et al. 2005) as PML's {@code NCALoss}: with
 * logits {@code -scale * ||x_i - x_j||^2} over {@code j != i}, the loss of anchor i is
 * {@code -log sum_{j in P(i)} softmax_j}, computed as {@code LSE_{j != i} - LSE_{j in P(i)}} so it
 * never takes the log of 0. The mean is over the anchors that have a positive.
 *
 * <p>Parameters: {@code scale} (1, PML's softmax_scale), {@code normalize} (true, as PML).
 */
public final class NcaLoss extends MetricLoss {
    public static final String NAME = "nca";
    static final String SCALE = "scale";

    private final double scale;
    private final LpDistance distance;
    /** PML's reduction for this loss: the mean over the anchors that have a positive. */
    private final Reducer reducer = new MeanReducer();

    /** From named parameters (see the class comment). */
    public NcaLoss(LossParams params) {
        this(ParamRules.positive(params, SCALE, 1.0), params.getBoolean(ParamRules.NORMALIZE, true));
    }

    public NcaLoss(double scale, boolean normalize) {
        super(NAME);
        this.scale = ParamRules.requirePositive(NAME, SCALE, scale);
        this.distance = new LpDistance(normalize, 2);
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        NDArray logits = SafeScalars.mul(distance.pairwise(embeddings), -scale);
        NDArray pos = batch.positiveMask();
        NDArray others = pos.add(batch.negativeMask());
        NDArray losses = LogSumExp.masked(logits, others).sub(LogSumExp.masked(logits, pos));
        NDArray hasPositive = pos.sum(new int[] {1}).gt(0).toType(losses.getDataType(), false);
        return reducer.reduce(losses, hasPositive);
    }
}
