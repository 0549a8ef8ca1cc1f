package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * Generalized lifted structure loss (Hermans et al. 2017; "A unified view" eq. 9; PML
 * {@code GeneralizedLiftedStructureLoss}): per anchor i,
 * {@code relu(LSE_{j in P(i)}(d_ij - posMargin) + LSE_{k in N(i)}(negMargin - d_ik))} with plain
 * Euclidean distances and LSE over an empty set taken as 0, then the mean over all anchors.
 *
 * <p>Parameters: {@code pos-margin} (0), {@code neg-margin} (1), {@code normalize} (true, as PML).
 */
public final class GeneralizedLiftedStructureLoss extends MetricLoss {
    public static final String NAME = "lifted";

    private final double posMargin;
    private final double negMargin;
    private final LpDistance distance;
    /** PML's reduction for this loss: the mean over all its items. */
    private final Reducer reducer = new MeanReducer();

    /** From named parameters (see the class comment). */
    public GeneralizedLiftedStructureLoss(LossParams params) {
        this(params.getDouble(ContrastiveLoss.POS_MARGIN, 0.0), params.getDouble(ContrastiveLoss.NEG_MARGIN, 1.0),
                params.getBoolean(ParamRules.NORMALIZE, true));
    }

    public GeneralizedLiftedStructureLoss(double posMargin, double negMargin, boolean normalize) {
        super(NAME);
        this.posMargin = ParamRules.requireNonNegative(NAME, ContrastiveLoss.POS_MARGIN, posMargin);
        this.negMargin = ParamRules.requireNonNegative(NAME, ContrastiveLoss.NEG_MARGIN, negMargin);
        this.distance = new LpDistance(normalize, 1);
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        NDArray d = distance.pairwise(embeddings);
        NDArray pos = LogSumExp.masked(d.sub(posMargin), batch.positiveMask());
        NDArray neg = LogSumExp.masked(d.neg().add(negMargin), batch.negativeMask());
        return reducer.reduce(Activation.relu(pos.add(neg)));
    }
}
