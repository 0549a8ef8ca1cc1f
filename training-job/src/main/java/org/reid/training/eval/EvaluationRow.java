package org.reid.training.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.reid.core.data.ReidDataset;
import org.reid.core.data.ReidImage;
import org.reid.core.eval.ReidMetrics;

/**
 * One line of the evaluation table: a model on a dataset, under the Market-1501 protocol.
 *
 * @param model the model's name
 * @param dataset the dataset's name
 * @param queries query crops
 * @param gallery gallery crops (distractors included)
 * @param identities distinct identities among the queries: the people searched for
 * @param scoredQueries queries with a match of their identity from another camera, the only ones
 *     that enter the averages
 * @param rank1 rank-1 accuracy
 * @param rank5 rank-5 accuracy
 * @param rank10 rank-10 accuracy
 * @param mAP mean average precision
 * @param mINP mean inverse negative penalty
 * @param cmc {@code cmc[k - 1]} = rank-k accuracy, up to rank 50 (or the gallery size)
 */
public record EvaluationRow(String model, String dataset, int queries, int gallery, int identities,
                            int scoredQueries, double rank1, double rank5, double rank10, double mAP, double mINP,
                            double[] cmc) {

    public EvaluationRow {
        cmc = cmc.clone();
    }

    @Override
    public double[] cmc() {
        return cmc.clone();
    }

    /** The row of {@code model} on {@code dataset} from its metrics. */
    public static EvaluationRow of(String model, String dataset, ReidDataset data, ReidMetrics m) {
        double[] cmc = m.cmc();
        return new EvaluationRow(model, dataset, data.query().size(), data.gallery().size(),
                distinctPids(data.query()), m.numValidQueries(), rank(cmc, 1), rank(cmc, 5), rank(cmc, 10),
                m.mAP(), m.mINP(), cmc);
    }

    /**
     * Rank-k accuracy; a CMC shorter than k means a gallery of fewer than k crops, which all lie
     * within the top k, so the last value holds.
     */
    static double rank(double[] cmc, int k) {
        return cmc[Math.min(k, cmc.length) - 1];
    }

    private static int distinctPids(List<ReidImage> images) {
        Set<Integer> pids = new HashSet<>();
        for (ReidImage im : images) {
            pids.add(im.pid());
        }
        return pids.size();
    }
}
