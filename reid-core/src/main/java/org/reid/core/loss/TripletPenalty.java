package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The per-triplet loss of PML's {@code TripletMarginLoss}: {@code relu(d_ap - d_an + margin)}, or
 * with {@code soft} {@code softplus(d_ap - d_an + margin)} (the margin stays inside the softplus,
 * so soft with margin 0 is the soft-margin loss of Hermans et al.).
 */
final class TripletPenalty {
    static final String MARGIN = "margin";
    static final String SOFT = "soft";

    private final double margin;
    private final boolean soft;

    TripletPenalty(String loss, double margin, boolean soft) {
        this.margin = ParamRules.requireNonNegative(loss, MARGIN, margin);
        this.soft = soft;
    }

    static TripletPenalty from(LossParams p) {
        return new TripletPenalty(p.loss(), p.getDouble(MARGIN, 0.3), p.getBoolean(SOFT, false));
    }

    double margin() {
        return margin;
    }

    boolean soft() {
        return soft;
    }

    /** The loss of each triplet given its anchor-positive and anchor-negative distances. */
    NDArray apply(NDArray anchorPositive, NDArray anchorNegative) {
        NDArray violation = anchorPositive.sub(anchorNegative).add(margin);
        return soft ? softplus(violation) : Activation.relu(violation);
    }

    /** {@code log(1 + exp(x))} computed as {@code relu(x) + log(1 + exp(-|x|))}: no overflow. */
    static NDArray softplus(NDArray x) {
        return Activation.relu(x).add(x.abs().neg().exp().add(1).log());
    }
}
