package org.reid.core.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.reid.core.engine.ParameterUpdater;

/**
 * DJL's own Adam or SGD, one parameter tensor at a time, updating each tensor in place. For an
 * imported TorchScript network: {@link FusedAdam} makes every parameter a view of one flat buffer,
 * which would detach them from the tensors the module computes with. Slower per step than the fused
 * optimisers. Its moments are not saved: a resumed run starts them afresh.
 */
public final class PerParameterOptimizer implements ParameterUpdater {
    private final List<Parameter> parameters;
    private final Map<Parameter, Optimizer> optimizers = new LinkedHashMap<>();
    private float learningRate;

    /**
     * @param sgd SGD with momentum 0.9 instead of Adam
     * @param noDecay parameters that get no weight decay (biases, BatchNorm, loss parameters)
     * @param multipliers learning-rate multiplier by parameter name (MVP's alpha trains faster)
     */
    public PerParameterOptimizer(List<Parameter> parameters, boolean sgd, float weightDecay,
            Predicate<Parameter> noDecay, Map<String, Float> multipliers) {
        this.parameters = List.copyOf(parameters);
        Map<String, Optimizer> byGroup = new LinkedHashMap<>();
        for (Parameter p : this.parameters) {
            float multiplier = multipliers.getOrDefault(p.getName(), 1f);
            float decay = noDecay.test(p) ? 0f : weightDecay;
            optimizers.put(p, byGroup.computeIfAbsent(multiplier + "/" + decay, g -> create(sgd, multiplier, decay)));
        }
    }

    private Optimizer create(boolean sgd, float multiplier, float decay) {
        Tracker rate = numUpdate -> learningRate * multiplier;
        return sgd
                ? Optimizer.sgd().setLearningRateTracker(rate).optMomentum(0.9f).optWeightDecays(decay)
.build()
                : Optimizer.adam().optLearningRateTracker(rate).optWeightDecays(decay).build();
    }

    @Override
    public void step(float learningRate) {
        this.learningRate = learningRate;
        for (Parameter p : parameters) {
            NDArray weight = p.getArray();
            if (!weight.hasGradient()) {
                continue;
            }
            NDArray gradient = weight.getGradient();
            optimizers.get(p).update(p.getId(), weight, gradient);
            gradient.subi(gradient);
        }
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(0); // no state kept: see the class comment
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        in.readInt();
    }

    @Override
    public FlatParameters buffer() {
        return null;
    }

    @Override
    public void close() {
        // DJL's optimisers hold their moments on the parameters' manager, freed with it.
    }
}
