package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;
import org.reid.core.loss.miner.Miner;

/**
 * Multi-similarity loss: RAW weighting with VTHM mining ("A unified view", eq. 17 and section
 * 5.1; PML {@code MultiSimilarityLoss} + {@code MultiSimilarityMiner}). Per anchor i, over the
 * kept positives P~ and negatives N~,
 * {@code (1/alpha) log(1 + sum_P~ exp(-alpha (s_ij - base))) + (1/beta) log(1 + sum_N~ exp(beta (s_ik - base)))},
 * then the mean over all anchors (an anchor with nothing kept contributes 0, PML's reduction).
 *
 * <p>Parameters: {@code alpha} (2), {@code beta} (50), {@code base} (0.5, the paper's threshold
 * gamma), {@code mining} (true: VTHM; false: all pairs), {@code epsilon} (0.1, the VTHM margin),
 * {@code normalize} (true: cosine similarity; false: plain dot product, for inputs that are
 * already unit vectors). Given another miner by name, the loss sums over that miner's pairs
 * instead of VTHM's, and {@code mining} no longer applies.
 */
public final class MultiSimilarityLoss extends SimilarityPairLoss {
    public static final String NAME = "multi-similarity";

    /** From named parameters (see the class comment). */
    public MultiSimilarityLoss(LossParams params) {
        this(params, null);
    }

    /** From named parameters with the miner called {@code minerName} (null: as {@code mining} says). */
    public MultiSimilarityLoss(LossParams params, String minerName) {
        super(NAME, params, minerName, true);
    }

    /**
     * @param miner mines pairs (or triplets) on the similarity matrix, or null to use every pair
     * @param normalize cosine similarity when true, plain dot product when false
     */
    public MultiSimilarityLoss(double alpha, double beta, double base, Miner miner, boolean normalize) {
        super(NAME, alpha, beta, base, miner, normalize);
    }

    @Override
    protected NDArray perAnchor(NDArray s, NDArray posMask, NDArray negMask) {
        NDArray pos = SafeScalars.div(LogSumExp.maskedWithOne(SafeScalars.mul(s.sub(base), -alpha), posMask), alpha);
        NDArray neg = SafeScalars.div(LogSumExp.maskedWithOne(SafeScalars.mul(s.sub(base), beta), negMask), beta);
        return pos.add(neg);
    }
}
