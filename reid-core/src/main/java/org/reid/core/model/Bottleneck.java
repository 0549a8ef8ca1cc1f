package org.reid.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * ResNet bottleneck unit as torchvision builds it ("v1.5": the stride sits on the 3x3 conv):
 * 1x1 -> 3x3 (stride) -> 1x1 (x4 channels), each with BN, plus a projected shortcut when the shape
 * changes; {@code relu(main + shortcut)}.
 */
final class Bottleneck extends AbstractBlock {
    static final int EXPANSION = 4;

    private final Block main;
    private final Block shortcut; // null = identity

    Bottleneck(int width, int stride, boolean project) {
        super((byte) 1);
        main = addChildBlock("main", new SequentialBlock()
                .add(Layers.convBnRelu(width, 1, 1))
                .add(Layers.convBnRelu(width, 3, stride))
                .add(Layers.conv(width * EXPANSION, 1, 1))
                .add(Layers.batchNorm()));
        shortcut = project
                ? addChildBlock("shortcut", new SequentialBlock()
                        .add(Layers.conv(width * EXPANSION, 1, stride))
                        .add(Layers.batchNorm()))
                : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = main.forward(parameterStore, inputs, training, params).singletonOrThrow();
        NDArray identity = shortcut == null
                ? x
                : shortcut.forward(parameterStore, inputs, training, params).singletonOrThrow();
        return new NDList(Activation.relu(y.add(identity)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        main.initialize(manager, dataType, inputShapes);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return main.getOutputShapes(inputShapes);
    }
}
