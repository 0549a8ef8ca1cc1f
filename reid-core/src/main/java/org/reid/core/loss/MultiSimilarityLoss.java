package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.reid.core.djl.SafeScalars;
import org.reid.core.loss.distance.CosineSimilarity;
import org.reid.core.loss.distance.Distance;
import org.reid.core.loss.distance.DotProductSimilarity;
import org.reid.core.loss.miner.Miner;
import org.reid.core.loss.miner.MultiSimilarityMiner;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * Multi-similarity loss: RAW weighting with VTHM mining ("A unified view", eq. 17 and section
 * 5.1; PML {@code MultiSimilarityLoss} + {@code MultiSimilarityMiner}). Per anchor i, over the
 * kept positives P~ and negatives N~,
 * {@code (1/alpha) log(1 + sum_P~ exp(-alpha (s_ij - base))) + (1/beta) log(1 + sum_N~ exp(beta (s_ik - base)))},
 * then the mean over all anchors (an anchor with nothing kept contributes 0).
 *
 * <p>Parameters: {@code alpha} (2), {@code beta} (50), {@code base} (0.5, the paper's threshold
 * gamma), {@code mining} (true: VTHM; false: all pairs), {@code epsilon} (0.1, the VTHM margin),
 * {@code normalize} (true: cosine similarity; false: plain dot product, for inputs that are
 * already unit vectors). Given another miner by name, the loss sums over that miner's pairs
 * instead of VTHM's, and {@code mining} no longer applies.
 */
public final class MultiSimilarityLoss extends MetricLoss {
    public static final String NAME = "multi-similarity";
    static final String ALPHA = "alpha";
    static final String BETA = "beta";
    static final String BASE = "base";
    static final String MINING = "mining";
    static final String EPSILON = "epsilon";

    private final double alpha;
    private final double beta;
    private final double base;
    private final Miner miner;
    private final Distance similarity;
    /** PML's reduction for this loss: every anchor counts, also one with nothing mined. */
    private final Reducer reducer = new MeanReducer();

    /** From named parameters (see the class comment). */
    public MultiSimilarityLoss(LossParams params) {
        this(params, null);
    }

    /** From named parameters with the miner called {@code minerName} (null: as {@code mining} says). */
    public MultiSimilarityLoss(LossParams params, String minerName) {
        this(params, ParamRules.positive(params, ALPHA, 2.0), ParamRules.positive(params, BETA, 50.0),
                params.getDouble(BASE, 0.5), params.getBoolean(ParamRules.NORMALIZE, true), minerName);
    }

    private MultiSimilarityLoss(LossParams params, double alpha, double beta, double base, boolean normalize,
            String minerName) {
        this(alpha, beta, base, miner(params, minerName, similarity(normalize), true), normalize);
    }

    /**
     * @param miner mines pairs (or triplets) on the similarity matrix, or null to use every pair
     * @param normalize cosine similarity when true, plain dot product when false
     */
    public MultiSimilarityLoss(double alpha, double beta, double base, Miner miner, boolean normalize) {
        super(NAME);
        this.alpha = ParamRules.requirePositive(NAME, ALPHA, alpha);
        this.beta = ParamRules.requirePositive(NAME, BETA, beta);
        this.base = base;
        this.miner = miner;
        this.similarity = similarity(normalize);
    }

    /**
     * The miner of a pair loss on similarities: the one called {@code minerName}, or, without a
     * name, VTHM when {@code mining} (default {@code miningDefault}) and none otherwise. Shared
     * with the binomial deviance loss.
     */
    static Miner miner(LossParams params, String minerName, Distance similarity, boolean miningDefault) {
        if (minerName == null) {
            boolean mining = params.getBoolean(MINING, miningDefault);
            // Read even when unused, so epsilon stays a known parameter with mining=false.
            Miner vthm = MinerFactory.create(MultiSimilarityMiner.NAME, params, similarity);
            return mining ? vthm : null;
        }
        if (params.has(MINING)) {
            throw new IllegalArgumentException("loss '" + params.loss() + "': parameter '" + MINING
                    + "' and miner '" + minerName + "' both choose the pairs; give one of them");
        }
        return MinerFactory.create(minerName, params, similarity);
    }

    static Distance similarity(boolean normalize) {
        return normalize ? new CosineSimilarity() : new DotProductSimilarity(false);
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        NDArray s = similarity.pairwise(embeddings);
        NDList masks = PairMasks.of(miner == null ? null : miner.mine(s, batch), batch, s);
        NDArray posMask = masks.get(0);
        NDArray negMask = masks.get(1);
        NDArray pos = SafeScalars.div(LogSumExp.maskedWithOne(SafeScalars.mul(s.sub(base), -alpha), posMask), alpha);
        NDArray neg = SafeScalars.div(LogSumExp.maskedWithOne(SafeScalars.mul(s.sub(base), beta), negMask), beta);
        return reducer.reduce(pos.add(neg));
    }
}
