package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.reducer.AvgNonZeroReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * Contrastive loss (Hadsell et al. 2006) as PML's {@code ContrastiveLoss}: over all ordered pairs,
 * positives cost {@code relu(d - posMargin)} and negatives {@code relu(negMargin - d)}, with the
 * plain (not squared) Euclidean distance. Each of the two parts is averaged over its pairs with
 * non-zero loss, and the two averages are summed.
 *
 * <p>Parameters: {@code pos-margin} (0), {@code neg-margin} (1), {@code normalize} (true, as PML's
 * default distance, which its margins assume).
 */
public final class ContrastiveLoss extends MetricLoss {
    public static final String NAME = "contrastive";
    static final String POS_MARGIN = "pos-margin";
    static final String NEG_MARGIN = "neg-margin";

    private final double posMargin;
    private final double negMargin;
    private final LpDistance distance;
    /** PML's reduction: each part averaged over its pairs with non-zero loss. */
    private final Reducer reducer = new AvgNonZeroReducer();

    /** From named parameters (see the class comment). */
    public ContrastiveLoss(LossParams params) {
        this(params.getDouble(POS_MARGIN, 0.0), params.getDouble(NEG_MARGIN, 1.0),
                params.getBoolean(ParamRules.NORMALIZE, true));
    }

    /**
     * @param posMargin positives closer than this cost nothing (>= 0)
     * @param negMargin negatives farther than this cost nothing (> posMargin)
     * @param normalize L2-normalise the embeddings first
     */
    public ContrastiveLoss(double posMargin, double negMargin, boolean normalize) {
        super(NAME);
        this.posMargin = ParamRules.requireNonNegative(NAME, POS_MARGIN, posMargin);
        this.negMargin = ParamRules.requirePositive(NAME, NEG_MARGIN, negMargin);
        if (negMargin <= posMargin) {
            throw new IllegalArgumentException("loss '" + NAME + "': parameter '" + NEG_MARGIN + "' ("
                    + negMargin + ") must be greater than '" + POS_MARGIN + "' (" + posMargin + ")");
        }
        this.distance = new LpDistance(normalize, 1);
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        NDArray d = distance.pairwise(embeddings);
        NDArray pos = Activation.relu(d.sub(posMargin)).mul(batch.positiveMask());
        NDArray neg = Activation.relu(d.neg().add(negMargin)).mul(batch.negativeMask());
        return reducer.reduce(pos).add(reducer.reduce(neg));
    }
}
