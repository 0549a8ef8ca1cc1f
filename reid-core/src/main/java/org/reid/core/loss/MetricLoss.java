package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Base of every loss of this package: a DJL {@link Loss} over a batch of embeddings {@code [B, D]}
 * (the first array of the predictions) and integer identity labels {@code [B]} (the first array of
 * the labels). It checks the batch before computing, so bad input fails with an
 * {@link IllegalArgumentException} that says what is wrong instead of training on a silent NaN.
 */
public abstract class MetricLoss extends Loss {

    protected MetricLoss(String name) {
        super(name);
    }

    @Override
    public final NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions == null || predictions.isEmpty()) {
            throw new IllegalArgumentException(getName() + ": no predictions given");
        }
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException(getName() + ": no labels given");
        }
        NDArray embeddings = predictions.get(0);
        BatchLabels batch = BatchLabels.of(getName(), labels.get(0), embeddings, requirement());
        return compute(embeddings, batch);
    }

    /** Convenience for callers outside a DJL {@code Trainer}. */
    public final NDArray evaluate(NDArray embeddings, NDArray labels) {
        return evaluate(new NDList(labels), new NDList(embeddings));
    }

    /** What the batch must contain for this loss to be defined. */
    protected BatchLabels.Requirement requirement() {
        return BatchLabels.Requirement.POSITIVE_AND_NEGATIVE_PAIRS;
    }

    /** The scalar loss, differentiable with respect to the embeddings (and learnable parameters). */
    protected abstract NDArray compute(NDArray embeddings, BatchLabels batch);
}
