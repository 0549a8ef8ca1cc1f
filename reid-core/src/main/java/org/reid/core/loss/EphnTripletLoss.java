package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.reid.core.loss.distance.CosineSimilarity;
import org.reid.core.loss.miner.EasyPositiveHardNegativeMiner;
import org.reid.core.loss.miner.EphnTriplets;
import org.reid.core.loss.miner.MinedTripletScatter;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * Softmax triplet losses on easy-positive / hard-negative triplets, from "Extreme triplet
 * learning: effectively optimizing easy positives and hard negatives"
 * ({@code shared/papers/extreme-triplet-ephn-2nd-order.txt}), as the authors' code computes them.
 *
 * <p>Embeddings are L2-normalised and compared by cosine similarity {@code S}. For each anchor
 * {@link EasyPositiveHardNegativeMiner} picks the closest positive and the closest negative (on
 * detached similarities; the selected {@code S_ap}, {@code S_an} keep their gradient to anchor,
 * positive and negative). The per-anchor loss is
 * {@code -log(exp(z_p / sigma) / (exp(z_p / sigma) + exp(z_n / sigma)))}, where the subclass gives
 * {@code (z_p, z_n)} as functions of {@code (S_ap, S_an)}, averaged over the kept anchors; exactly 0
 * (with a zero gradient, never NaN) when no anchor is kept.
 *
 * <p>{@code sigma} is a temperature. The paper's equations have none (sigma = 1); the authors'
 * code divides by 0.1, which is our default (param {@code sigma}, > 0).
 */
public abstract class EphnTripletLoss extends MetricLoss {

    /** The authors' temperature. */
    public static final double DEFAULT_SIGMA = 0.1;

    private static final CosineSimilarity SIMILARITY = new CosineSimilarity();
    private final EasyPositiveHardNegativeMiner miner = new EasyPositiveHardNegativeMiner();
    private final double sigma;
    /** The authors' reduction: the mean over the kept anchors. */
    private final Reducer reducer = new MeanReducer();

    protected EphnTripletLoss(String name, double sigma) {
        super(name);
        if (!Double.isFinite(sigma) || sigma <= 0) {
            throw new IllegalArgumentException(
                    "loss '" + name + "': parameter 'sigma' must be a finite number > 0, got " + sigma);
        }
        this.sigma = sigma;
    }

    /** Reads {@code sigma} (default 0.1, > 0). */
    protected static double readSigma(LossParams params) {
        double s = params.getDouble("sigma", DEFAULT_SIGMA);
        if (s <= 0) {
            throw new IllegalArgumentException(
                    "loss '" + params.loss() + "': parameter 'sigma' must be > 0, got " + s);
        }
        return s;
    }

    public double sigma() {
        return sigma;
    }

    /** The positive and negative logits {@code (z_p, z_n)}, before division by sigma. */
    protected abstract NDList logits(NDArray positiveSimilarity, NDArray negativeSimilarity);

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        EphnTriplets t = miner.select(SIMILARITY.pairwise(embeddings), batch);
        NDList z = logits(t.positive(), t.negative());
        NDArray stacked = SafeScalars.div(z.get(0).stack(z.get(1), 1), sigma); // [B, 2]
        NDArray perAnchor = stacked.logSoftmax(1).get(":, 0").neg();
        return reducer.reduce(perAnchor, t.kept());
    }

    /**
     * The triplets this loss would train on for {@code embeddings} {@code [N, D]} and labels
     * {@code [N]}, copied to the host: the points of the triplet scatter diagram. Meant for plots
     * on an evaluation set (the paper plots the whole data set), not for every training step.
     */
    public MinedTripletScatter scatter(NDArray embeddings, NDArray labels) {
        try (NDManager scope = embeddings.getManager().newSubManager()) {
            NDArray e = embeddings.stopGradient();
            e.attach(scope);
            BatchLabels batch = BatchLabels.of(getName(), labels, e, BatchLabels.Requirement.ANY);
            return miner.select(SIMILARITY.pairwise(e), batch).toHost();
        }
    }
}
