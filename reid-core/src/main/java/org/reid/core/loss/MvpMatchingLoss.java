package org.reid.core.loss;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import org.reid.core.djl.SafeScalars;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.reid.core.loss.distance.LpDistance;
import org.reid.core.matching.Assignment;
import org.reid.core.matching.Hungarian;

/**
 * MVP matching loss (Maximum-Value Perfect matching for mining hard samples, with application to
 * person re-ID; {@code shared/papers/mvp-matching.txt}), computed as the authors' code does
 * (IAAI-CVResearchGroup/MVP-metric, {@code mvp_loss.py}).
 *
 * <p>With {@code d_ij = ||f_i - f_j||^2} (squared Euclidean; f L2-normalised unless
 * {@code normalize=false}), the batch is split into two bipartite graphs over the same B samples:
 * <ul>
 *   <li>positive graph: edge {@code (i, j)} between samples of the same identity, weight
 *       {@code M+_ij = max(0, d_ij - alpha)};</li>
 *   <li>negative graph: edge {@code (i, j)} between different identities, weight
 *       {@code M-_ij = max(0, alpha + epsilon - d_ij)};</li>
 * </ul>
 * all other edges are forbidden. On each graph a maximum-value perfect matching (Kuhn-Munkres,
 * {@link Hungarian#maximize}) picks for every sample one exclusive hard partner. The matching is
 * computed on a detached host copy of the weights (one {@code [B, B]} device-to-host copy per
 * step, both graphs packed in it since their edges are disjoint), and
 * {@code loss = L+ + L-} with {@code L+ = (1/B) sum_i M+_{i, pi+(i)}} and
 * {@code L- = (1/B) sum_i M-_{i, pi-(i)}} ({@code T} = permutation matrix / B). Gradients flow only
 * through the weights, never through the choice of the matching, so with
 * {@code delta+ = [d > alpha]}, {@code delta- = [d < alpha + epsilon]}:
 * {@code dL/df_i = sum_j 2 (f_i - f_j)(delta+ y T+ - delta- (1 - y) T-)_ij} (plus the same with
 * opposite sign where {@code i} is the column) and
 * {@code dL/dalpha = sum_ij T_ij (-y delta+ + (1 - y) delta-)}.
 *
 * <p><b>alpha</b> is the positive threshold ("same_margin" in the authors' code); pairs of one
 * identity closer than alpha are left alone (no over-training). {@code alpha + epsilon} is the
 * negative margin ("margin"); epsilon is fixed. When {@code learn-alpha} is on (default), alpha is
 * a one-element {@link Parameter} in {@link #parameterBlock()} trained at
 * {@code alpha-lr-multiplier} (default 100, as the authors) times the base learning rate; add the
 * block to the model (see {@link LearnableLoss}).
 *
 * <p><b>Defaults and the scale they assume.</b> By default ({@code normalize=true}) the loss
 * L2-normalises the embeddings first, so squared distances lie in [0, 4] whatever the scale of the
 * features, and the margins are in that unit scale: {@code alpha = 0.05}, {@code epsilon = 0.25}
 * (negative margin 0.3, cosine similarity 0.85), alpha learnable at 1x the base rate. Why so small:
 * the pre-BN features are pooled ReLU activations, all in one orthant, so even normalised a
 * sample's hardest negative sits at a squared distance of ~0.17 early in training; a margin of 1
 * holds every matched negative deep inside it and the loss hardly moves. The authors' numbers
 * (alpha 20, margin 200, alpha at 100x) are squared distances of unnormalised 2048-d ResNet
 * features; the training job's raw pre-BN features have squared distances of 1-15, so with those
 * margins the loss stuck near 190 (docs/experiments.md). The defaults were chosen by validation
 * mAP on a camera-randomised world among margins 0.1 to 1.5 (docs/experiments.md, issue 10);
 * {@link MvpMarginCheck} warns when a run's margins are far too large for its features. The 100x alpha multiplier assumed alpha in units of 10^2: Adam moves a
 * parameter by about the learning rate a step, which at 100x is half the unit-scale alpha. To run
 * exactly as the authors: {@code normalize=false, alpha=0, epsilon=200, alpha-lr-multiplier=100,
 * self-match=true} (their stored {@code train_imgreid.py} keeps alpha fixed: add
 * {@code learn-alpha=false} for that; where it does learn it, it uses the base learning rate, so the
 * 100x comes from our design recipe). The five-argument constructor keeps raw features.
 *
 * <p><b>Self-matches.</b> The authors' positive graph is label equality over the whole
 * {@code B x B} matrix (they call the loss with {@code (features, features)}), so a sample may be
 * matched to itself with weight {@code max(0, 0 - alpha) = 0}. We forbid self-matches by default
 * ({@code self-match=false}), because a self-match lets the matching take a sample out of the
 * positive mining and spend the freed row and column on an outlier pair: an identity with K = 3
 * samples on a line at 0, 1, 2 (squared distances 1, 1, 4) and alpha = 0 is matched 0-2, 2-0, 1-1
 * (value 8) rather than a 3-cycle (value 6), so the farthest pair (possibly a mislabelled crop) is
 * counted twice and the middle sample gets no pull at all: the outlier concentration the paper
 * blames on batch-hard mining, against its promise that every sample gets one exclusive hard
 * positive. For K = 2 both choices give the same matching, and satisfied pairs cost nothing either
 * way since their weight is already 0. A sample that is the only one of its identity in the batch
 * has no positive edge at all; it is matched to itself with weight 0 (no loss, no gradient, still
 * counted in B), so a batch with singletons still trains.
 *
 * <p><b>No perfect matching.</b> The negative graph has a perfect matching only if no identity
 * holds more than half of the batch; otherwise {@link #evaluate} throws an
 * {@link IllegalArgumentException} naming the identity (the authors' -1e7 sentinel would have
 * silently put a forbidden edge into the loss). A P x K sampler with P >= 2 never hits this.
 *
 * <p>The last step's matchings are kept for plots, logs and tests: {@link #lastMatching()}.
 */
public final class MvpMatchingLoss extends MetricLoss implements LearnableLoss {

    /** Name under which {@link LossFactory} creates this loss. */
    public static final String NAME = "mvp";

    /** Default initial alpha, in squared distances of L2-normalised embeddings (range [0, 4]). */
    public static final double DEFAULT_ALPHA = 0.05;
    /** Default epsilon: negative margin alpha + epsilon = 0.3 (cosine similarity 0.85) on unit vectors. */
    public static final double DEFAULT_EPSILON = 0.25;
    /**
     * Default learning-rate multiplier of alpha: 1, because Adam moves a parameter by about the
     * learning rate a step whatever its scale, and the authors' 100x assumed alpha in units of 10^2.
     */
    public static final float DEFAULT_ALPHA_LR_MULTIPLIER = 1f;
    /** Default: the loss sees L2-normalised embeddings, so its margins hold whatever the feature scale. */
    public static final boolean DEFAULT_NORMALIZE = true;

    private final double initialAlpha;
    private final double epsilon;
    private final boolean learnAlpha;
    private final float alphaLearningRateMultiplier;
    private final boolean allowSelfMatch;
    private final LpDistance distance;
    private final LossParameterBlock block = new LossParameterBlock();
    private final Parameter alphaParameter;
    private volatile MvpMatching lastMatching;
    private volatile long lastMatchingNanos;

    /**
     * Reads {@code alpha} (initial, >= 0, default 0.05), {@code epsilon} (>= 0, default 0.25),
     * {@code learn-alpha} (default true), {@code alpha-lr-multiplier} (>= 0, default 1),
     * {@code self-match} (default false) and {@code normalize} (default true).
     */
    public MvpMatchingLoss(LossParams params) {
        this(params.getDouble("alpha", DEFAULT_ALPHA, 0.0),
                params.getDouble("epsilon", DEFAULT_EPSILON, 0.0),
                params.getBoolean("learn-alpha", true),
                (float) params.getDouble("alpha-lr-multiplier", DEFAULT_ALPHA_LR_MULTIPLIER, 0.0),
                params.getBoolean("self-match", false),
                params.getBoolean("normalize", DEFAULT_NORMALIZE));
    }

    /** The defaults: normalised embeddings, alpha 0.05 (learnable at 1x), epsilon 0.25, no self-matches. */
    public MvpMatchingLoss() {
        this(DEFAULT_ALPHA, DEFAULT_EPSILON, true, DEFAULT_ALPHA_LR_MULTIPLIER, false, DEFAULT_NORMALIZE);
    }

    /** On raw (unnormalised) embeddings, as the authors; see the six-argument constructor. */
    public MvpMatchingLoss(double alpha, double epsilon, boolean learnAlpha, float alphaLearningRateMultiplier,
            boolean allowSelfMatch) {
        this(alpha, epsilon, learnAlpha, alphaLearningRateMultiplier, allowSelfMatch, false);
    }

    /**
     * @param alpha initial positive threshold (squared distance), >= 0
     * @param epsilon fixed gap between alpha and the negative margin, >= 0
     * @param learnAlpha whether alpha is a trained parameter of {@link #parameterBlock()}
     * @param alphaLearningRateMultiplier alpha's learning rate relative to the base rate, >= 0
     * @param allowSelfMatch whether a sample may be matched to itself in the positive graph
     * @param normalize whether embeddings are L2-normalised before the distances (alpha and epsilon
     *     are then in the unit scale, squared distances in [0, 4])
     */
    public MvpMatchingLoss(double alpha, double epsilon, boolean learnAlpha, float alphaLearningRateMultiplier,
            boolean allowSelfMatch, boolean normalize) {
        super(NAME);
        requireFinite("alpha", alpha, 0.0);
        requireFinite("epsilon", epsilon, 0.0);
        requireFinite("alpha-lr-multiplier", alphaLearningRateMultiplier, 0.0);
        this.initialAlpha = alpha;
        this.epsilon = epsilon;
        this.learnAlpha = learnAlpha;
        this.alphaLearningRateMultiplier = alphaLearningRateMultiplier;
        this.allowSelfMatch = allowSelfMatch;
        this.distance = normalize ? new LpDistance(true, 2) : LpDistance.squaredEuclidean();
        this.alphaParameter = learnAlpha
                ? block.add("alpha", new Shape(1), new ConstantInitializer((float) alpha), alphaLearningRateMultiplier)
                : null;
    }

    private static void requireFinite(String key, double value, double min) {
        if (!Double.isFinite(value) || value < min) {
            throw new IllegalArgumentException(
                    "loss '" + NAME + "': parameter '" + key + "' must be a finite number >= " + min + ", got " + value);
        }
    }

    @Override
    public LossParameterBlock parameterBlock() {
        return block;
    }

    /** The alpha parameter, or empty when alpha is fixed. */
    public Optional<Parameter> alphaParameter() {
        return Optional.ofNullable(alphaParameter);
    }

    /**
     * The current alpha: the fixed value, or the parameter's value once initialised (one host read;
     * for logging, not for every step).
     */
    public double alpha() {
        if (alphaParameter == null || !alphaParameter.isInitialized()) {
            return initialAlpha;
        }
        return alphaParameter.getArray().toType(DataType.FLOAT64, false).toDoubleArray()[0];
    }

    public double initialAlpha() {
        return initialAlpha;
    }

    public double epsilon() {
        return epsilon;
    }

    public boolean learnsAlpha() {
        return learnAlpha;
    }

    public float alphaLearningRateMultiplier() {
        return alphaLearningRateMultiplier;
    }

    public boolean allowsSelfMatch() {
        return allowSelfMatch;
    }

    /** Whether embeddings are L2-normalised before the distances. */
    public boolean normalizes() {
        return distance.normalize();
    }

    /** The matchings of the last evaluated batch, or empty before the first one. */
    public Optional<MvpMatching> lastMatching() {
        return Optional.ofNullable(lastMatching);
    }

    /**
     * Wall-clock nanoseconds the last evaluated batch spent in its two Kuhn-Munkres solves (the
     * {@link Hungarian#maximize} calls only; building the host matrices is not counted), or 0 before
     * the first batch. For the training-step benchmark's share of the matching in a step.
     */
    public long lastMatchingNanos() {
        return lastMatchingNanos;
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        int n = batch.size();
        requireNegativeMatchingExists(batch);
        NDManager manager = embeddings.getManager();
        DataType type = embeddings.getDataType();

        NDArray alpha = alphaArray(embeddings);
        // Self-distances are exactly 0; the matrix-product formula leaves rounding noise there.
        NDArray offDiagonal = manager.ones(new Shape(n, n), type).sub(manager.eye(n).toType(type, false));
        NDArray d = distance.pairwise(embeddings).mul(offDiagonal);
        NDArray same = batch.positiveMask();
        if (allowSelfMatch) {
            same = same.add(manager.eye(n).toType(type, false));
        }
        // SafeScalars: DJL's maximum(Number)/div(Number) free their constant before backward.
        NDArray positive = SafeScalars.maximum(d.sub(alpha), 0).mul(same);
        NDArray negative = SafeScalars.maximum(d.neg().add(alpha).add(epsilon), 0).mul(batch.negativeMask());
        // Positive and negative edges are disjoint cells, so one matrix carries both graphs.
        NDArray weights = positive.add(negative);

        // The one device-to-host copy of the step.
        double[] host = weights.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        MvpMatching matching = match(host, batch);
        lastMatching = matching;

        float[] selected = new float[n * n];
        int[] pos = matching.positivePartner();
        int[] neg = matching.negativePartner();
        for (int i = 0; i < n; i++) {
            selected[i * n + pos[i]] = 1f;
            selected[i * n + neg[i]] = 1f;
        }
        NDArray t = manager.create(selected, new Shape(n, n)).toType(type, false);
        return SafeScalars.div(weights.mul(t).sum(), n);
    }

    /**
     * Alpha as an array connected to the parameter. It is used as it is: DJL's {@code toType} and
     * {@code toDevice} cut the autograd chain (measured: a converted parameter gets no gradient),
     * while PyTorch's type promotion in {@code d - alpha} keeps it, so a float32 alpha works with
     * float64 embeddings and back.
     */
    private NDArray alphaArray(NDArray embeddings) {
        if (alphaParameter == null) {
            return embeddings.getManager().create(new double[] {initialAlpha}).toType(embeddings.getDataType(), false);
        }
        if (!alphaParameter.isInitialized()) {
            throw new IllegalStateException("loss '" + NAME + "': alpha is learnable but its parameter is not "
                    + "initialised; add parameterBlock() to the model before training, or call "
                    + "parameterBlock().initialize(manager, dataType, new Shape(1)), or set learn-alpha=false");
        }
        NDArray a = alphaParameter.getArray();
        Device device = embeddings.getDevice();
        if (!a.getDevice().equals(device)) {
            throw new IllegalStateException("loss '" + NAME + "': alpha lives on " + a.getDevice()
                    + " but the embeddings on " + device + "; initialise the model (with parameterBlock() in it) on "
                    + "the training device (multi-device training of a learnable alpha is not supported)");
        }
        return a;
    }

    private static void requireNegativeMatchingExists(BatchLabels batch) {
        int n = batch.size();
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(batch.id(i), 1, Integer::sum);
        }
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            if (e.getValue() > n - e.getValue()) {
                throw new IllegalArgumentException("loss '" + NAME + "': identity " + e.getKey() + " holds "
                        + e.getValue() + " of the " + n + " samples; the negative graph has no perfect matching when "
                        + "one identity holds more than half of the batch (sample more identities per batch)");
            }
        }
    }

    /** Both maximum-value perfect matchings on the host copy of the weights. */
    private MvpMatching match(double[] w, BatchLabels batch) {
        int n = batch.size();
        boolean[] alone = singletons(batch);
        double[][] positive = new double[n][n];
        double[][] negative = new double[n][n];
        int negativePairs = 0;
        int negativePairsInside = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = w[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("loss '" + NAME + "': edge weight [" + i + "][" + j + "] is " + v
                            + " (squared distance overflow or a non-finite alpha = " + alpha() + ")");
                }
                boolean same = batch.same(i, j);
                boolean selfAllowed = allowSelfMatch || alone[i];
                positive[i][j] = same && (i != j || selfAllowed) ? v : Double.NEGATIVE_INFINITY;
                negative[i][j] = same ? Double.NEGATIVE_INFINITY : v;
                if (!same) {
                    negativePairs++;
                    negativePairsInside += v > 0 ? 1 : 0;
                }
            }
        }
        long start = System.nanoTime();
        Assignment p = Hungarian.maximize(positive);
        Assignment q = Hungarian.maximize(negative);
        lastMatchingNanos = System.nanoTime() - start;
        int[] pos = p.rowToColumn();
        int[] neg = q.rowToColumn();
        double lPos = 0;
        double lNeg = 0;
        int positiveEdges = 0;
        int positiveActive = 0;
        int negativeActive = 0;
        for (int i = 0; i < n; i++) {
            double wp = w[i * n + pos[i]];
            double wn = w[i * n + neg[i]];
            lPos += wp;
            lNeg += wn;
            // For the saturation warning: a matched edge with weight > 0 is inside its margin.
            if (pos[i] != i) {
                positiveEdges++;
                positiveActive += wp > 0 ? 1 : 0;
            }
            negativeActive += wn > 0 ? 1 : 0;
        }
        return new MvpMatching(pos, neg, lPos / n, lNeg / n, positiveEdges, positiveActive, negativeActive,
                negativePairs, negativePairsInside);
    }

    private static boolean[] singletons(BatchLabels batch) {
        int n = batch.size();
        Map<Long, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(batch.id(i), 1, Integer::sum);
        }
        boolean[] alone = new boolean[n];
        for (int i = 0; i < n; i++) {
            alone[i] = counts.get(batch.id(i)) == 1;
        }
        return alone;
    }
}
