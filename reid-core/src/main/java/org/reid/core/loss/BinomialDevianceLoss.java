package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.reid.core.djl.SafeScalars;
import org.reid.core.loss.distance.Distance;
import org.reid.core.loss.miner.Miner;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * Binomial deviance loss (Yi et al. 2014), in the form of "A unified view" eq. 12: per anchor i,
 * {@code (1/|P_i|) sum_{P_i} softplus(alpha (gamma - s_ij)) + (1/|N_i|) sum_{N_i} softplus(beta (s_ik - gamma))}
 * on cosine similarities. An empty set contributes 0. The anchors' terms are averaged (eq. 12
 * sums them; the mean keeps the scale independent of the batch size, the gradient direction is
 * the same). With {@code mining=true} the sets are the VTHM-informative pairs (the paper's
 * "Binomial+VTHM").
 *
 * <p>Parameters: {@code alpha} (2), {@code beta} (50), {@code base} (0.5, the paper's gamma),
 * {@code mining} (false), {@code epsilon} (0.1, VTHM margin), {@code normalize} (true: cosine;
 * false: plain dot product). Given a miner by name, the sets are that miner's pairs, and
 * {@code mining} no longer applies.
 */
public final class BinomialDevianceLoss extends MetricLoss {
    public static final String NAME = "binomial";

    private final double alpha;
    private final double beta;
    private final double base;
    private final Miner miner;
    private final Distance similarity;
    /** Eq. 12's sum over anchors, as a mean (see the class comment). */
    private final Reducer reducer = new MeanReducer();

    /** From named parameters (see the class comment). */
    public BinomialDevianceLoss(LossParams params) {
        this(params, null);
    }

    /** From named parameters with the miner called {@code minerName} (null: as {@code mining} says). */
    public BinomialDevianceLoss(LossParams params, String minerName) {
        this(params, ParamRules.positive(params, MultiSimilarityLoss.ALPHA, 2.0),
                ParamRules.positive(params, MultiSimilarityLoss.BETA, 50.0),
                params.getDouble(MultiSimilarityLoss.BASE, 0.5), params.getBoolean(ParamRules.NORMALIZE, true),
                minerName);
    }

    private BinomialDevianceLoss(LossParams params, double alpha, double beta, double base, boolean normalize,
            String minerName) {
        this(alpha, beta, base,
                MultiSimilarityLoss.miner(params, minerName, MultiSimilarityLoss.similarity(normalize), false),
                normalize);
    }

    /** @param miner mines pairs (or triplets) on the similarity matrix, or null to use every pair */
    public BinomialDevianceLoss(double alpha, double beta, double base, Miner miner, boolean normalize) {
        super(NAME);
        this.alpha = ParamRules.requirePositive(NAME, MultiSimilarityLoss.ALPHA, alpha);
        this.beta = ParamRules.requirePositive(NAME, MultiSimilarityLoss.BETA, beta);
        this.base = base;
        this.miner = miner;
        this.similarity = MultiSimilarityLoss.similarity(normalize);
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        NDArray s = similarity.pairwise(embeddings);
        NDList masks = PairMasks.of(miner == null ? null : miner.mine(s, batch), batch, s);
        NDArray posMask = masks.get(0);
        NDArray negMask = masks.get(1);
        return fromSimilarities(s, posMask, negMask);
    }

    /** The loss as a function of the similarity matrix and the pair masks (exposed for tests). */
    NDArray fromSimilarities(NDArray s, NDArray posMask, NDArray negMask) {
        NDArray pos = averageOver(TripletPenalty.softplus(SafeScalars.mul(s.neg().add(base), alpha)), posMask);
        NDArray neg = averageOver(TripletPenalty.softplus(SafeScalars.mul(s.sub(base), beta)), negMask);
        return reducer.reduce(pos.add(neg));
    }

    /** Row mean of {@code values} over the mask, 0 for an empty row. */
    private static NDArray averageOver(NDArray values, NDArray mask) {
        NDArray count = mask.sum(new int[] {1});
        return values.mul(mask).sum(new int[] {1}).div(count.maximum(1));
    }
}
