package org.reid.core.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;

/**
 * DJL's own Adam applied parameter by parameter, as {@code Trainer.step()} does it (one group of
 * native calls per parameter tensor). Its moments are private to DJL, so {@link #save} cannot
 * keep them: a resumed run restarts them (documented in docs/training.md).
 */
public final class DjlAdamUpdater implements ParameterUpdater {
    private final List<Parameter> parameters;
    private final Map<String, Float> multipliers;
    private final Optimizer adam;
    private float learningRate;

    public DjlAdamUpdater(List<Parameter> parameters, double weightDecay, Map<String, Float> multipliers) {
        this.parameters = parameters.stream().filter(Parameter::requiresGradient).toList();
        this.multipliers = Map.copyOf(multipliers);
        Tracker tracker = new Tracker() {
            @Override
            public float getNewValue(int numUpdate) {
                return learningRate;
            }

            @Override
            public float getNewValue(String parameterId, int numUpdate) {
                return learningRate * DjlAdamUpdater.this.multipliers.getOrDefault(parameterId, 1f);
            }
        };
        this.adam = Adam.builder().optLearningRateTracker(tracker).optWeightDecays((float) weightDecay).build();
    }

    @Override
    public void step(float rate) {
        this.learningRate = rate;
        for (Parameter p : parameters) {
            NDArray weight = p.getArray();
            // getGradient() returns a new handle attached to the model's manager on every call:
            // close it, or one array per parameter piles up each step.
            try (NDArray grad = weight.getGradient()) {
                adam.update(p.getId(), weight, grad);
                grad.subi(grad);
            }
        }
    }

    @Override
    public void save(DataOutputStream out) {
        // DJL keeps Adam's moments in private fields: nothing to write.
    }

    @Override
    public void load(DataInputStream in) {
        // Moments restart from zero after a resume with this updater.
    }
}
