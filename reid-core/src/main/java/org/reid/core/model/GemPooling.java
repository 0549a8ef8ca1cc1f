package org.reid.core.model;

import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Generalised-mean pooling {@code (mean(clamp(x, eps)^p))^(1/p)} over h x w, with one learnable
 * exponent p shared by all channels (p = 1 is average pooling, large p approaches max pooling).
 */
final class GemPooling extends AbstractBlock {
    static final float INITIAL_P = 3f;
    private static final float EPS = 1e-6f;

    private final Parameter p;

    GemPooling() {
        super((byte) 1);
        p = addParameter(Parameter.builder()
                .setName("p")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(1))
                .optInitializer(new ConstantInitializer(INITIAL_P))
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray exponent = parameterStore.getValue(p, x.getDevice(), training);
        NDArray flat = x.reshape(x.getShape().get(0), x.getShape().get(1), -1);
        NDArray pooled = flat.clip(EPS, Float.MAX_VALUE).pow(exponent).mean(new int[] {2});
        // 1 / p from a PyTorch-owned constant: DJL's pow(Number) frees its constant before backward.
        // Built on the batch's manager: the parameter's manager lives as long as the model, so
        // arrays made from it would pile up step after step.
        NDArray inverse = SafeScalars.scalarLike(pooled, 1.0).div(exponent);
        return new NDList(pooled.pow(inverse));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))};
    }
}
