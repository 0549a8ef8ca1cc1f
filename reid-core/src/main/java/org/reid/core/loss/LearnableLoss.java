package org.reid.core.loss;

/**
 * A loss with learnable parameters (MVP's margin alpha, Proxy-NCA's proxies). A DJL {@code Loss}
 * is not a {@code Block}, and a {@code Trainer} optimises only the parameters of the model's
 * block, so these parameters live in a {@link LossParameterBlock} that the model adds as a child.
 */
public interface LearnableLoss {

    /** The block holding this loss's parameters; add it to the model being trained. */
    LossParameterBlock parameterBlock();
}
