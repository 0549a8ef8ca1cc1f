package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;
import ai.djl.ndarray.NDList;

/**
 * Second-order EPHN triplet loss, eq. (16) of the extreme-triplet paper:
 * {@code L = -log(exp(z_p) / (exp(z_p) + exp(z_n)))} with {@code z_p = (S_ap - S_ap^2 / 2) / sigma}
 * and {@code z_n = (S_an^2 / 2) / sigma}, on easy-positive / hard-negative triplets of
 * L2-normalised embeddings (see {@link EphnTripletLoss}). Its gradient with respect to the
 * normalised features is eq. (13)-(15): the first-order gradient with the positive part weighted
 * by {@code w_ap = 1 - S_ap} and the negative part by {@code w_an = S_an}, so an already close
 * positive stops being pulled and a close negative is pushed harder:
 * {@code dL/df_p = -b w_ap f_a}, {@code dL/df_n = b w_an f_a},
 * {@code dL/df_a = b (w_an f_n - w_ap f_p)}, {@code b = (1/sigma) exp(z_n) / (exp(z_p) + exp(z_n))}.
 */
public final class SecondOrderTripletLoss extends EphnTripletLoss {

    /** Name under which {@link LossFactory} creates this loss. */
    public static final String NAME = "ephn-2nd";

    /** Reads {@code sigma} (temperature, default 0.1). */
    public SecondOrderTripletLoss(LossParams params) {
        this(readSigma(params));
    }

    /** @param sigma temperature, > 0 (the paper's equation: 1; the authors' code: 0.1) */
    public SecondOrderTripletLoss(double sigma) {
        super(NAME, sigma);
    }

    public SecondOrderTripletLoss() {
        this(DEFAULT_SIGMA);
    }

    @Override
    protected NDList logits(NDArray positiveSimilarity, NDArray negativeSimilarity) {
        NDArray zp = positiveSimilarity.sub(SafeScalars.mul(positiveSimilarity.square(), 0.5));
        NDArray zn = SafeScalars.mul(negativeSimilarity.square(), 0.5);
        return new NDList(zp, zn);
    }
}
