package org.reid.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Global average pooling {@code [N, C, h, w] -> [N, C]}. */
final class AveragePooling extends AbstractBlock {
    AveragePooling() {
        super((byte) 1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // The PyTorch engine reduces one axis at a time: flatten h x w first.
        return new NDList(x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1))};
    }
}
