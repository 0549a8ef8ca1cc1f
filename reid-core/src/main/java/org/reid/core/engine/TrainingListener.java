package org.reid.core.engine;

/** What the training loop reports; the training job turns it into logs, plots and progress. */
@FunctionalInterface
public interface TrainingListener {

    /** After every step; {@code skipped} when the loss was exactly 0 and no update was made. */
    void onStep(StepResult step);

    /** One training step's numbers. */
    record StepResult(int epoch, int step, int stepsPerEpoch, long globalStep, double loss, double metricLoss,
            double idLoss, double learningRate, boolean skipped) {}
}
