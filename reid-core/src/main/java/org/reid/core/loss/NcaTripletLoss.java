package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * First-order EPHN triplet loss, eq. (1) of the extreme-triplet paper (NCA on one triplet):
 * {@code L = -log(exp(S_ap/sigma) / (exp(S_ap/sigma) + exp(S_an/sigma)))} on easy-positive /
 * hard-negative triplets of L2-normalised embeddings (see {@link EphnTripletLoss}). Its gradient
 * with respect to the normalised features is eq. (4)-(6): {@code dL/df_p = -b f_a},
 * {@code dL/df_n = b f_a}, {@code dL/df_a = b (f_n - f_p)} with
 * {@code b = (1/sigma) exp(S_an/sigma) / (exp(S_ap/sigma) + exp(S_an/sigma))}.
 */
public final class NcaTripletLoss extends EphnTripletLoss {

    /** Name under which {@link LossFactory} creates this loss. */
    public static final String NAME = "nca-triplet";

    /** Reads {@code sigma} (temperature, default 0.1). */
    public NcaTripletLoss(LossParams params) {
        this(readSigma(params));
    }

    /** @param sigma temperature, > 0 (the paper's equation: 1; the authors' code: 0.1) */
    public NcaTripletLoss(double sigma) {
        super(NAME, sigma);
    }

    public NcaTripletLoss() {
        this(DEFAULT_SIGMA);
    }

    @Override
    protected NDList logits(NDArray positiveSimilarity, NDArray negativeSimilarity) {
        return new NDList(positiveSimilarity, negativeSimilarity);
    }
}
