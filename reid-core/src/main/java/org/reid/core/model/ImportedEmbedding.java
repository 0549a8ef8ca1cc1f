package org.reid.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An imported TorchScript network in the place of an {@link EmbeddingNet}, so that a
 * {@link ReidNet} fine-tunes it with our losses: its embedding output serves both as the feature of
 * the metric loss and as the input of the fresh classifier (an exported module has one output, not
 * the pre- and post-BNNeck pair). The module arrives with its weights, so there is nothing to
 * initialise.
 */
public final class ImportedEmbedding extends AbstractBlock {
    private final PtSymbolBlock module;
    private final Manifest.Architecture architecture;

    /** {@code module} loaded with {@link ImportedModel#loadTrainable}; {@code architecture} from its artifact. */
    public ImportedEmbedding(PtSymbolBlock module, Manifest.Architecture architecture) {
        super((byte) 1);
        if (architecture.modelFormat() != ModelFormat.TORCHSCRIPT) {
            throw new IllegalArgumentException("an imported embedding is a TorchScript network, got "
                    + architecture.format());
        }
        this.module = addChildBlock("module", module);
        this.architecture = architecture;
    }

    public PtSymbolBlock module() {
        return module;
    }

    /** The architecture of the artifact it came from: input, output index, embedding size. */
    public Manifest.Architecture architecture() {
        return architecture;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = module.forward(parameterStore, inputs, training, params);
        NDArray embedding = out.get(architecture.outputIndex());
        return training ? new NDList(embedding, embedding) : new NDList(embedding);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // The module's parameters came with it.
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), architecture.embeddingDim())};
    }
}
