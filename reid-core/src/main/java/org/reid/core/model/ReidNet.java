package org.reid.core.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The re-ID network as one DJL block: an {@link EmbeddingNet} (backbone, pooling, projection,
 * BNNeck), an optional classifier (Linear without bias, for an ID loss) and an optional loss
 * parameter block so that a learnable loss parameter trains with the model.
 *
 * <p>Forward in training: {@code [feature, logits]} (or {@code [feature]} without classifier); the
 * feature is pre-BNNeck, for the metric loss, which reads the first array. The logits come from the
 * post-BNNeck embedding. At inference: {@code [embedding]}, post-BNNeck and not L2-normalised
 * (the search side normalises). Children: {@code embedding}, {@code classifier},
 * {@code lossParameters}; only the first is written to a model artifact.
 */
public final class ReidNet extends AbstractBlock {
    private final ReidNetConfig config; // null for an imported embedding
    private final Block embedding; // an EmbeddingNet, or an ImportedEmbedding being fine-tuned
    private final int embeddingDim;
    private final int numClasses;
    private final Block classifier; // null = no ID head
    private Block lossParameters; // null = none; never part of forward

    public ReidNet(ReidNetConfig config) {
        this(config, new EmbeddingNet(config), config.embeddingDim(), config.numClasses());
    }

    /**
     * An imported TorchScript network to fine-tune, with a fresh classifier over {@code numClasses}
     * identities (0 for none).
     */
    public ReidNet(ImportedEmbedding embedding, int numClasses) {
        this(null, embedding, embedding.architecture().embeddingDim(), numClasses);
    }

    private ReidNet(ReidNetConfig config, Block embeddingBlock, int embeddingDim, int numClasses) {
        super((byte) 1);
        this.config = config;
        this.embeddingDim = embeddingDim;
        this.numClasses = numClasses;
        embedding = addChildBlock("embedding", embeddingBlock);
        if (numClasses > 0) {
            classifier = addChildBlock("classifier",
                    Linear.builder().setUnits(numClasses).optBias(false).build());
            // BoT initialises the classifier with N(0, 0.001).
            classifier.setInitializer(new NormalInitializer(0.001f), Parameter.Type.WEIGHT);
        } else {
            classifier = null;
        }
    }

    /** The shape of our network; an imported one has none (see {@link #importedEmbedding()}). */
    public ReidNetConfig config() {
        if (config == null) {
            throw new IllegalStateException("an imported network has no ReidNet config");
        }
        return config;
    }

    /** The embedding part of our network, which a model artifact saves and the service runs. */
    public EmbeddingNet embeddingNet() {
        if (!(embedding instanceof EmbeddingNet net)) {
            throw new IllegalStateException("the embedding is an imported network, not an EmbeddingNet");
        }
        return net;
    }

    /** The imported network being fine-tuned, if this is one. */
    public java.util.Optional<ImportedEmbedding> importedEmbedding() {
        return embedding instanceof ImportedEmbedding imported ? java.util.Optional.of(imported) : java.util.Optional.empty();
    }

    /** Size of the embedding (and of the metric loss's feature). */
    public int embeddingDim() {
        return embeddingDim;
    }

    public boolean hasClassifier() {
        return classifier != null;
    }

    /**
     * Adds a loss's parameter block (e.g. {@code LearnableLoss.parameterBlock()}) as a child, so
     * that {@code getParameters()} and hence the Trainer's optimiser include its parameters. It takes
     * no part in forward. Call before the block is initialised, at most once.
     */
    public ReidNet attachLossParameters(Block block) {
        if (block == null) {
            throw new IllegalArgumentException("loss parameter block must not be null");
        }
        if (lossParameters != null) {
            throw new IllegalStateException("a loss parameter block is already attached");
        }
        if (isInitialized()) {
            throw new IllegalStateException("attach loss parameters before initialising the network");
        }
        lossParameters = addChildBlock("lossParameters", block);
        return this;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = embedding.forward(parameterStore, inputs, training, params);
        if (!training) {
            return out;
        }
        NDList result = new NDList(out.get(0));
        if (classifier != null) {
            result.add(classifier.forward(parameterStore, new NDList(out.get(1)), training, params).singletonOrThrow());
        }
        return result;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, inputShapes);
        Shape[] embeddingShape = embedding.getOutputShapes(inputShapes);
        if (classifier != null) {
            classifier.initialize(manager, dataType, embeddingShape);
        }
        if (lossParameters != null) {
            // Its parameters have fixed shapes; the input shape it is given is never used.
            lossParameters.initialize(manager, dataType, embeddingShape);
        }
    }

    /** Inference output shape {@code [N, embeddingDim]}; see {@link #trainingOutputShapes}. */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return embedding.getOutputShapes(inputShapes);
    }

    /** Training output shapes: {@code [N, featureDim]} and, with a classifier, {@code [N, numClasses]}. */
    public Shape[] trainingOutputShapes(Shape inputShape) {
        long n = inputShape.get(0);
        Shape feature = new Shape(n, embeddingDim);
        return classifier == null
                ? new Shape[] {feature}
                : new Shape[] {feature, new Shape(n, numClasses)};
    }
}
