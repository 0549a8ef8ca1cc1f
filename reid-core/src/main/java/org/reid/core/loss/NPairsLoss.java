package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reid.core.loss.distance.DotProductSimilarity;
import org.reid.core.loss.reducer.MeanReducer;
import org.reid.core.loss.reducer.Reducer;

/**
 * N-pair loss (Sohn 2016) as PML's {@code NPairsLoss}: one (anchor, positive) pair per identity
 * with at least two samples, the anchor being the first row of that identity in batch order and
 * the positive the second. With {@code S = A B^T} (dot products, optionally of normalised rows),
 * the loss is the mean over pairs r of the cross-entropy {@code -S_rr + LSE_c S_rc}. Further rows
 * of an identity are unused and get zero gradient.
 *
 * <p>Parameters: {@code normalize} (true, as PML's default distance).
 */
public final class NPairsLoss extends MetricLoss {
    public static final String NAME = "npair";

    private final DotProductSimilarity similarity;
    /** PML's reduction for this loss: the mean over all its items. */
    private final Reducer reducer = new MeanReducer();

    /** From named parameters (see the class comment). */
    public NPairsLoss(LossParams params) {
        this(params.getBoolean(ParamRules.NORMALIZE, true));
    }

    public NPairsLoss(boolean normalize) {
        super(NAME);
        this.similarity = new DotProductSimilarity(normalize);
    }

    @Override
    protected NDArray compute(NDArray embeddings, BatchLabels batch) {
        Map<Long, int[]> firstTwo = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            int[] rows = firstTwo.computeIfAbsent(batch.id(i), k -> new int[] {-1, -1});
            if (rows[0] < 0) {
                rows[0] = i;
            } else if (rows[1] < 0) {
                rows[1] = i;
            }
        }
        long[] anchors = firstTwo.values().stream().filter(r -> r[1] >= 0).mapToLong(r -> r[0]).toArray();
        long[] positives = firstTwo.values().stream().filter(r -> r[1] >= 0).mapToLong(r -> r[1]).toArray();
        NDManager manager = embeddings.getManager();
        NDArray a = embeddings.get(manager.create(anchors));
        NDArray p = embeddings.get(manager.create(positives));
        NDArray s = similarity.pairwise(a, p);
        NDArray eye = manager.eye(anchors.length).toType(s.getDataType(), false);
        NDArray crossEntropy = s.logSoftmax(1).mul(eye).sum(new int[] {1}).neg();
        return reducer.reduce(crossEntropy);
    }
}
