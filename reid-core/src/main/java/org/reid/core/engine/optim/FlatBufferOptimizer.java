package org.reid.core.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.reid.core.engine.ParameterUpdater;

/**
 * What the fused optimisers share: the one flat buffer their parameters are bound to, grouped by
 * learning-rate multiplier and weight-decay flag; the step count; and the checks before a step.
 * Each subclass owns only its update rule and its saved state.
 */
abstract class FlatBufferOptimizer implements ParameterUpdater {
    protected final FlatParameters flat;
    /** Steps taken so far (Adam's {@code t} of the bias correction). */
    protected int steps;

    /**
     * Binds {@code parameters} to one flat buffer (see {@link FlatParameters#bind}), a group per
     * learning-rate multiplier (1 for ids not in {@code multipliers}) and decay flag: decayed when
     * {@code weightDecay > 0} and {@code noWeightDecay} does not exempt the parameter.
     */
    FlatBufferOptimizer(List<Parameter> parameters, float weightDecay, Map<String, Float> multipliers,
            Predicate<Parameter> noWeightDecay) {
        this.flat = FlatParameters.bind(parameters, p -> new FlatParameters.GroupKey(
                multipliers.getOrDefault(p.getId(), 1f), weightDecay > 0f && !noWeightDecay.test(p)));
    }

    /**
     * The whole buffer's accumulated gradient for a step at {@code learningRate}; the caller closes it.
     *
     * @throws IllegalArgumentException when the learning rate is negative, NaN or infinite
     * @throws IllegalStateException when no backward pass has produced gradients for the parameters
     *     or a parameter was re-assigned after binding
     */
    protected final NDArray gradientForStep(float learningRate) {
        if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0, got " + learningRate);
        }
        flat.checkBound();
        NDArray grad = flat.gradientOrNull();
        if (grad == null) {
            throw new IllegalStateException("no gradient on the parameters: run backward inside a GradientCollector"
                    + " before step()");
        }
        return grad;
    }

    /** Zeroes the parameters' gradients (one native call). {@link #step(float)} already does. */
    public final void zeroGradients() {
        flat.zeroGradients();
    }

    /** Steps taken so far. */
    public final int steps() {
        return steps;
    }

    /** The flat buffer the parameters live in. */
    @Override
    public final FlatParameters buffer() {
        return flat;
    }
}
