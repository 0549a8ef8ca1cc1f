package org.reid.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * The part of a {@link ReidNet} that turns images into embeddings: backbone, pooling, optional
 * linear projection, optional BNNeck. This is exactly what a model artifact stores.
 *
 * <p>Forward: {@code [N, 3, H, W]} in; in training {@code [feature, embedding]} out, where
 * {@code feature} is the pooled (projected) vector before the neck (for metric losses) and
 * {@code embedding} is after the neck (for the classifier); at inference only {@code [embedding]}.
 */
public final class EmbeddingNet extends AbstractBlock {
    private final ReidNetConfig config;
    private final Block backbone;
    private final Block pooling;
    private final Block projection; // null = none
    private final Block neck; // null = none

    public EmbeddingNet(ReidNetConfig config) {
        super((byte) 1);
        this.config = config;
        backbone = addChildBlock("backbone", config.backbone().create());
        pooling = addChildBlock("pooling", config.pooling() == Pooling.GEM ? new GemPooling() : new AveragePooling());
        projection = config.projectionDim() > 0
                ? addChildBlock("projection", Linear.builder().setUnits(config.projectionDim()).optBias(false).build())
                : null;
        // BNNeck: center=false keeps beta at 0 and out of the gradient, as BoT freezes the BN bias.
        neck = config.neck() == Neck.BNNECK
                ? addChildBlock("neck", BatchNorm.builder().optCenter(false).optEpsilon(1e-5f).optMomentum(0.9f).build())
                : null;
        // Kaiming-normal (fan-out) for convs and the projection, as torchvision and BoT initialise.
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2),
                Parameter.Type.WEIGHT);
    }

    public ReidNetConfig config() {
        return config;
    }

    /** The feature extractor, for loading pretrained weights into it ({@link TorchvisionResNet50Weights}). */
    public Block backbone() {
        return backbone;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = backbone.forward(parameterStore, inputs, training, params);
        x = pooling.forward(parameterStore, x, training, params);
        if (projection != null) {
            x = projection.forward(parameterStore, x, training, params);
        }
        NDArray feature = x.singletonOrThrow();
        NDArray embedding = neck == null ? feature : neck.forward(parameterStore, x, training, params).singletonOrThrow();
        return training ? new NDList(feature, embedding) : new NDList(embedding);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes);
        backbone.initialize(manager, dataType, inputShapes);
        Shape[] shapes = backbone.getOutputShapes(inputShapes);
        pooling.initialize(manager, dataType, shapes);
        shapes = pooling.getOutputShapes(shapes);
        if (projection != null) {
            projection.initialize(manager, dataType, shapes);
            shapes = projection.getOutputShapes(shapes);
        }
        if (neck != null) {
            neck.initialize(manager, dataType, shapes);
        }
    }

    /** Inference output shape: {@code [N, embeddingDim]}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkInput(inputShapes);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.embeddingDim())};
    }

    private static void checkInput(Shape[] inputShapes) {
        if (inputShapes.length != 1 || inputShapes[0].dimension() != 4 || inputShapes[0].get(1) != 3) {
            throw new IllegalArgumentException("input must be one [N, 3, H, W] image batch, got "
                    + java.util.Arrays.toString(inputShapes));
        }
    }
}
