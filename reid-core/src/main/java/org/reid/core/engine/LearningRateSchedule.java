package org.reid.core.engine;

/**
 * Learning rate per (fractional) epoch: a linear warm-up from 10% of the base rate, then either a
 * cosine decay to 0 or steps of x0.1 at 50% and 75% of the epochs after warm-up (BoT's shape, scaled to any length).
 */
public final class LearningRateSchedule {
    private final double base;
    private final int warmupEpochs;
    private final int epochs;
    private final boolean cosine;

    public LearningRateSchedule(TrainingConfig config) {
        this(config.learningRate(), config.warmupEpochs(), config.epochs(), config.schedule().equals("cosine"));
    }

    public LearningRateSchedule(double base, int warmupEpochs, int epochs, boolean cosine) {
        this.base = base;
        this.warmupEpochs = Math.min(warmupEpochs, Math.max(0, epochs - 1));
        this.epochs = epochs;
        this.cosine = cosine;
    }

    /** The rate at {@code epoch} (0-based, may be fractional: epoch + step / stepsPerEpoch). */
    public double rate(double epoch) {
        if (epoch < warmupEpochs) {
            return base * (0.1 + 0.9 * epoch / warmupEpochs);
        }
        double progress = (epoch - warmupEpochs) / Math.max(1e-9, epochs - warmupEpochs);
        progress = Math.min(1, Math.max(0, progress));
        if (cosine) {
            return base * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
        // Milestones at 50% and 75% of the epochs after warm-up, so warm-up never ends on a drop.
        return progress < 0.5 ? base : progress < 0.75 ? base * 0.1 : base * 0.01;
    }
}
