package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;
import ai.djl.ndarray.types.Shape;

/**
 * Cross-entropy with label smoothing, as the BoT baseline trains its ID head (Szegedy et al.'s
 * smoothing, BoT's {@code CrossEntropyLabelSmooth}): predictions are logits {@code [B, C]}, labels
 * class indices in {@code [0, C)}, the target of sample {@code i} is
 * {@code q_i = (1 - smoothing) onehot(y_i) + smoothing / C} and
 * {@code loss = -(1/B) sum_i sum_c q_ic log softmax(z_i)_c}. Its gradient with respect to the
 * logits is {@code (softmax(z) - q) / B}. {@code smoothing = 0} is plain cross-entropy.
 *
 * <p>A label outside {@code [0, C)} is an {@link IllegalArgumentException} naming the label and
 * the number of classes (label checks happen on the host, where labels live anyway).
 */
public final class LabelSmoothingCrossEntropyLoss extends MetricLoss {

    /** Name under which {@link LossFactory} creates this loss. */
    public static final String NAME = "cross-entropy";

    /** BoT's smoothing. */
    public static final double DEFAULT_SMOOTHING = 0.1;

    private final double smoothing;

    /** Reads {@code smoothing} (in [0, 1], default 0.1). */
    public LabelSmoothingCrossEntropyLoss(LossParams params) {
        this(params.getDouble("smoothing", DEFAULT_SMOOTHING, 0.0));
    }

    /** Smoothing 0.1, as BoT. */
    public LabelSmoothingCrossEntropyLoss() {
        this(DEFAULT_SMOOTHING);
    }

    /** @param smoothing share of the target spread evenly over all classes, in [0, 1] */
    public LabelSmoothingCrossEntropyLoss(double smoothing) {
        super(NAME);
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException(
                    "loss '" + NAME + "': parameter 'smoothing' must be in [0, 1], got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    public double smoothing() {
        return smoothing;
    }

    @Override
    protected BatchLabels.Requirement requirement() {
        return BatchLabels.Requirement.ANY;
    }

    @Override
    protected NDArray compute(NDArray logits, BatchLabels batch) {
        int b = batch.size();
        long c = logits.getShape().get(1);
        if (c < 1) {
            throw new IllegalArgumentException("loss '" + NAME + "': logits have no class column, shape "
                    + logits.getShape());
        }
        int classes = Math.toIntExact(c);
        for (int i = 0; i < b; i++) {
            long y = batch.id(i);
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("loss '" + NAME + "': label " + y + " of sample " + i
                        + " is outside [0, " + classes + "), the number of classes of the logits");
            }
        }
        // Targets are built on the host in double and cast to the logits' type on their device.
        NDArray q = logits.getManager().create(smoothedTargets(batch, classes), new Shape(b, classes))
                .toType(logits.getDataType(), false);
        return SafeScalars.div(logits.logSoftmax(1).mul(q).sum().neg(), b);
    }

    private double[] smoothedTargets(BatchLabels batch, int classes) {
        int b = batch.size();
        double[] q = new double[b * classes];
        java.util.Arrays.fill(q, smoothing / classes);
        for (int i = 0; i < b; i++) {
            q[i * classes + (int) batch.id(i)] += 1 - smoothing;
        }
        return q;
    }
}
