package org.reid.core.engine.optim;

/** How {@link FusedAdam} applies weight decay. */
public enum WeightDecayMode {
    /**
     * L2 penalty folded into the gradient before the moments, {@code g += wd * w}: what
     * {@code torch.optim.Adam(weight_decay=wd)} does (and the MVP / BoT recipes ran).
     */
    L2,
    /**
     * Decoupled decay, {@code w *= 1 - lr * wd} before the Adam update: {@code torch.optim.AdamW}.
     * With a learning-rate multiplier {@code m} the decay uses {@code lr * m}, as a torch parameter
     * group with that learning rate would.
     */
    DECOUPLED
}
