package org.reid.core.loss;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds the learnable parameters of a loss so that a DJL {@code Trainer} updates them with the
 * model. Its forward pass is the identity: it is a container, not a layer. Each parameter may carry
 * a learning-rate multiplier (MVP trains alpha at 100x the base rate).
 */
public final class LossParameterBlock extends AbstractBlock {
    private final Map<String, Float> learningRateMultipliers = new LinkedHashMap<>();

    public LossParameterBlock() {
        super((byte) 1);
    }

    /** Registers a parameter of fixed {@code shape}, initialised by {@code initializer}. */
    public Parameter add(String name, Shape shape, Initializer initializer, float learningRateMultiplier) {
        Parameter p = addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(initializer)
                .build());
        learningRateMultipliers.put(p.getId(), learningRateMultiplier);
        return p;
    }

    /** Learning-rate multiplier by parameter id (ids are what optimiser trackers see). */
    public Map<String, Float> learningRateMultipliers() {
        return Collections.unmodifiableMap(learningRateMultipliers);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return inputs;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
