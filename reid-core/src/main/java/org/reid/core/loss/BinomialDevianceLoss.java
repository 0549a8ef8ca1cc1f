package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;
import org.reid.core.loss.miner.Miner;

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
public final class BinomialDevianceLoss extends SimilarityPairLoss {
    public static final String NAME = "binomial";

    /** From named parameters (see the class comment). */
    public BinomialDevianceLoss(LossParams params) {
        this(params, null);
    }

    /** From named parameters with the miner called {@code minerName} (null: as {@code mining} says). */
    public BinomialDevianceLoss(LossParams params, String minerName) {
        super(NAME, params, minerName, false);
    }

    /** @param miner mines pairs (or triplets) on the similarity matrix, or null to use every pair */
    public BinomialDevianceLoss(double alpha, double beta, double base, Miner miner, boolean normalize) {
        super(NAME, alpha, beta, base, miner, normalize);
    }

    @Override
    protected NDArray perAnchor(NDArray s, NDArray posMask, NDArray negMask) {
        NDArray pos = averageOver(TripletPenalty.softplus(SafeScalars.mul(s.neg().add(base), alpha)), posMask);
        NDArray neg = averageOver(TripletPenalty.softplus(SafeScalars.mul(s.sub(base), beta)), negMask);
        return pos.add(neg);
    }

    /** Row mean of {@code values} over the mask, 0 for an empty row. */
    private static NDArray averageOver(NDArray values, NDArray mask) {
        NDArray count = mask.sum(new int[] {1});
        return values.mul(mask).sum(new int[] {1}).div(count.maximum(1));
    }
}
