package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import org.reid.core.djl.SafeScalars;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * Proxy-NCA loss (Movshovitz-Attias et al. 2017, "No fuss"; PML {@code ProxyNCALoss}): one
 * learnable proxy per class; logits {@code -scale * ||x_i - p_c||^2} over all classes (the rows
 * and the proxies L2-normalised when {@code normalize}); the loss of sample i is the
 * cross-entropy {@code -log softmax(logits_i)[label_i]}, averaged over the batch.
 *
 * <p>The proxies, {@code [classes, embedding-dim]}, initialised N(0, 1) as PML does, live in
 * {@link #parameterBlock()}, which the model must hold as a child block so the trainer updates
 * them (and initialises them with the model). Labels must be class indices in {@code [0, classes)}.
 *
 * <p>Parameters: {@code classes} (required), {@code embedding-dim} (required: the proxies' size),
 * {@code scale} (1, PML's softmax_scale), {@code normalize} (true, as PML).
 */
public final class ProxyNcaLoss extends MetricLoss implements LearnableLoss {
    public static final String NAME = "proxy-nca";
    /** Name of the proxies parameter inside {@link #parameterBlock()}. */
    public static final String PROXIES = "proxies";
    static final String CLASSES = "classes";
    static final String EMBEDDING_DIM = "embedding-dim";

    private final int classes;
    private final int embeddingDim;
    private final double scale;
    private final LpDistance distance;
    /** PML's reduction for this loss: the mean over all its items. */
    private final Reducer reducer = new MeanReducer();
    private final LossParameterBlock block = new LossParameterBlock();
    private final Parameter proxies;

    /** From named parameters (see the class comment). */
    public ProxyNcaLoss(LossParams params) {
        this(ParamRules.requiredCount(params, CLASSES, "number of classes"),
                ParamRules.requiredCount(params, EMBEDDING_DIM, "embedding dimension"),
                ParamRules.positive(params, NcaLoss.SCALE, 1.0),
                params.getBoolean(ParamRules.NORMALIZE, true));
    }

    /**
     * @param classes number of classes (one proxy each)
     * @param embeddingDim dimension of the embeddings and proxies
     * @param scale softmax scale, > 0
     * @param normalize L2-normalise embeddings and proxies before the squared distance
     */
    public ProxyNcaLoss(int classes, int embeddingDim, double scale, boolean normalize) {
        super(NAME);
        if (classes < 1 || embeddingDim < 1) {
            throw new IllegalArgumentException("loss '" + NAME + "': classes and embedding-dim must be >= 1, got "
                    + classes + " and " + embeddingDim);
        }
        this.classes = classes;
        this.embeddingDim = embeddingDim;
        this.scale = ParamRules.requirePositive(NAME, NcaLoss.SCALE, scale);
        this.distance = new LpDistance(normalize, 2);
        this.proxies = block.add(PROXIES, new Shape(classes, embeddingDim), new NormalInitializer(1f), 1f);
    }

    @Override
    public LossParameterBlock parameterBlock() {
        return block;
    }

    /** The proxies parameter, {@code [classes, embedding-dim]}. */
    public Parameter proxies() {
        return proxies;
    }

    public int classes() {
        return classes;
    }

    /** Initialises the proxies on their own, for use outside a model (tests, library callers). */
    public void initializeProxies(NDManager manager, DataType type) {
        block.initialize(manager, type, new Shape(1, embeddingDim));
    }

    @Override
    protected BatchLabels.Requirement requirement() {
        return BatchLabels.Requirement.ANY;
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        long[] labels = batch.ids();
        for (long label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("loss '" + NAME + "': label " + label
                        + " is outside [0, " + classes + "); labels must be class indices below classes="
                        + classes);
            }
        }
        long dim = embeddings.getShape().get(1);
        if (dim != embeddingDim) {
            throw new IllegalArgumentException("loss '" + NAME + "': embeddings have dimension " + dim
                    + " but the proxies have embedding-dim=" + embeddingDim);
        }
        if (!proxies.isInitialized()) {
            throw new IllegalStateException("loss '" + NAME + "': proxies are not initialised; add parameterBlock()"
                    + " to the model before initialising it, or call initializeProxies");
        }
        // A view of the proxies attached to this step's manager: every op below runs on it, and
        // results attach to the manager of the array they are called on, which for the parameter
        // itself would be the model's, piling arrays up step after step. A view keeps autograd's
        // path to the parameter.
        NDArray p = proxies.getArray().reshape(proxies.getArray().getShape());
        p.attach(embeddings.getManager());
        // Both conversions are recorded by autograd, so the gradient still reaches the parameter.
        if (!p.getDevice().equals(embeddings.getDevice())) {
            p = p.toDevice(embeddings.getDevice(), false);
        }
        if (p.getDataType() != embeddings.getDataType()) {
            p = p.toType(embeddings.getDataType(), false);
        }
        NDArray logits = SafeScalars.mul(distance.pairwise(embeddings, p), -scale);
        NDManager manager = embeddings.getManager();
        NDArray target = manager.create(labels).oneHot(classes).toType(logits.getDataType(), false);
        return reducer.reduce(logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg());
    }
}
