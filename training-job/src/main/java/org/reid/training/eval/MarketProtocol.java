package org.reid.training.eval;

import java.util.List;
import org.reid.core.data.ReidImage;
import org.reid.core.engine.Embeddings;
import org.reid.core.eval.EmbeddingDistances;
import org.reid.core.eval.KReciprocalReranker;
import org.reid.core.eval.ReidEvaluator;
import org.reid.core.eval.ReidMetrics;

/**
 * Scores query embeddings against gallery embeddings under the Market-1501 protocol: a query's
 * gallery crops of the same identity and the same camera are discarded, so only cross-camera
 * matches count. Identities and cameras are always taken from the crops themselves, and there is
 * no switch: a same-camera sibling (a near copy of the query) can never inflate the numbers.
 */
public final class MarketProtocol {
    private static final int MAX_RANK = 50;

    private MarketProtocol() {}

    /**
     * @param q L2-normalised query embeddings, in {@code query} order
     * @param g L2-normalised gallery embeddings, in {@code gallery} order
     * @param rerank k-reciprocal re-ranking (k1 20, k2 6, lambda 0.3) before scoring
     * @throws IllegalArgumentException when no query has a match from another camera
     */
    public static ReidMetrics score(List<ReidImage> query, List<ReidImage> gallery, float[][] q, float[][] g,
                                    boolean rerank) {
        int[] qp = query.stream().mapToInt(ReidImage::pid).toArray();
        int[] gp = gallery.stream().mapToInt(ReidImage::pid).toArray();
        int[] qc = query.stream().mapToInt(ReidImage::camId).toArray();
        int[] gc = gallery.stream().mapToInt(ReidImage::camId).toArray();
        int maxRank = Math.min(MAX_RANK, g.length);
        if (rerank) {
            double[][] reranked = KReciprocalReranker.rerank(distances(q, g), distances(q, q), distances(g, g));
            return ReidEvaluator.evaluate(reranked, qp, gp, qc, gc, maxRank);
        }
        return ReidEvaluator.evaluate(EmbeddingDistances.squaredEuclidean(q, g), qp, gp, qc, gc, maxRank,
                Runtime.getRuntime().availableProcessors());
    }

    private static double[][] distances(float[][] a, float[][] b) {
        double[][] d = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                d[i][j] = Embeddings.squaredDistance(a[i], b[j]);
            }
        }
        return d;
    }
}
