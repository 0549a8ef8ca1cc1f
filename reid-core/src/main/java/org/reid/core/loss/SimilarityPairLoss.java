package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.reid.core.loss.distance.CosineSimilarity;
import org.reid.core.loss.distance.Distance;
import org.reid.core.loss.distance.DotProductSimilarity;
import org.reid.core.loss.miner.Miner;
import org.reid.core.loss.miner.MultiSimilarityMiner;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * What the multi-similarity and binomial deviance losses share ("A unified view" writes both as
 * pair weightings of one similarity matrix): the parameters {@code alpha} (positives' scale),
 * {@code beta} (negatives'), {@code base} (the threshold gamma), {@code normalize} (cosine or
 * plain dot product), how the pairs are chosen (a named miner, or VTHM as {@code mining} says),
 * and the mean over all anchors (an anchor with nothing kept contributes 0). Each subclass says
 * only what one anchor's term is.
 */
abstract class SimilarityPairLoss extends MetricLoss {
    static final String ALPHA = "alpha";
    static final String BETA = "beta";
    static final String BASE = "base";
    static final String MINING = "mining";
    static final String EPSILON = "epsilon";

    protected final double alpha;
    protected final double beta;
    protected final double base;
    private final Miner miner;
    private final Distance similarity;
    private final Reducer reducer = new MeanReducer();

    /**
     * From named parameters ({@code alpha} 2, {@code beta} 50, {@code base} 0.5, {@code normalize}
     * true) with the miner called {@code minerName}, or, without a name, VTHM when {@code mining}
     * (default {@code miningDefault}) and every pair otherwise.
     */
    SimilarityPairLoss(String name, LossParams params, String minerName, boolean miningDefault) {
        this(name, params, ParamRules.positive(params, ALPHA, 2.0), ParamRules.positive(params, BETA, 50.0),
                params.getDouble(BASE, 0.5), params.getBoolean(ParamRules.NORMALIZE, true), minerName,
                miningDefault);
    }

    private SimilarityPairLoss(String name, LossParams params, double alpha, double beta, double base,
            boolean normalize, String minerName, boolean miningDefault) {
        this(name, alpha, beta, base, miner(params, minerName, similarity(normalize), miningDefault), normalize);
    }

    /**
     * @param miner mines pairs (or triplets) on the similarity matrix, or null to use every pair
     * @param normalize cosine similarity when true, plain dot product when false
     */
    SimilarityPairLoss(String name, double alpha, double beta, double base, Miner miner, boolean normalize) {
        super(name);
        this.alpha = ParamRules.requirePositive(name, ALPHA, alpha);
        this.beta = ParamRules.requirePositive(name, BETA, beta);
        this.base = base;
        this.miner = miner;
        this.similarity = similarity(normalize);
    }

    private static Miner miner(LossParams params, String minerName, Distance similarity, boolean miningDefault) {
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

    private static Distance similarity(boolean normalize) {
        return normalize ? new CosineSimilarity() : new DotProductSimilarity(false);
    }

    @Override
    protected final NDArray compute(NDArray embeddings, BatchLabels batch) {
        NDArray s = similarity.pairwise(embeddings);
        NDList masks = PairMasks.of(miner == null ? null : miner.mine(s, batch), batch, s);
        return fromSimilarities(s, masks.get(0), masks.get(1));
    }

    /** The loss as a function of the similarity matrix and the pair masks (exposed for tests). */
    final NDArray fromSimilarities(NDArray s, NDArray posMask, NDArray negMask) {
        return reducer.reduce(perAnchor(s, posMask, negMask));
    }

    /** {@code [B]}: each anchor's term from the similarities {@code s} and the kept pairs. */
    protected abstract NDArray perAnchor(NDArray s, NDArray posMask, NDArray negMask);
}
