package org.reid.core.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * Normalised mutual information between two labellings of the same samples, with the
 * arithmetic-mean normalisation that is scikit-learn's default
 * ({@code normalized_mutual_info_score(..., average_method="arithmetic")}):
 * {@code NMI = I(U;V) / ((H(U) + H(V)) / 2)}, natural logarithms.
 *
 * <p>Limit cases as scikit-learn: 1 when both labellings put every sample in one cluster, 0 when
 * the mutual information is 0 otherwise. Label values themselves do not matter, only the
 * partition.
 */
public final class NormalizedMutualInfo {
    private NormalizedMutualInfo() {}

    /** NMI of a clustering {@code predicted} against the true classes {@code truth}. */
    public static double of(int[] truth, int[] predicted) {
        EvalChecks.sameLength(truth, "truth", predicted, "predicted");
        EvalChecks.positive(truth.length, "number of samples");
        int n = truth.length;
        Map<Integer, Integer> rowIndex = new HashMap<>();
        Map<Integer, Integer> colIndex = new HashMap<>();
        int[] rowOf = new int[n];
        int[] colOf = new int[n];
        for (int s = 0; s < n; s++) {
            rowOf[s] = rowIndex.computeIfAbsent(truth[s], key -> rowIndex.size());
            colOf[s] = colIndex.computeIfAbsent(predicted[s], key -> colIndex.size());
        }
        int rows = rowIndex.size();
        int cols = colIndex.size();
        if (rows == 1 && cols == 1) {
            return 1.0;
        }
        long[] a = new long[rows];
        long[] b = new long[cols];
        Map<Long, long[]> cells = new HashMap<>();
        for (int s = 0; s < n; s++) {
            a[rowOf[s]]++;
            b[colOf[s]]++;
            cells.computeIfAbsent((long) rowOf[s] * cols + colOf[s], key -> new long[1])[0]++;
        }
        double mi = 0;
        for (Map.Entry<Long, long[]> cell : cells.entrySet()) {
            int i = (int) (cell.getKey() / cols);
            int j = (int) (cell.getKey() % cols);
            double nij = cell.getValue()[0];
            mi += nij / n * Math.log(n * nij / ((double) a[i] * b[j]));
        }
        mi = Math.max(mi, 0); // rounding can make an independent pair slightly negative
        if (mi == 0) {
            return 0.0;
        }
        double normaliser = (entropy(a, n) + entropy(b, n)) / 2;
        return mi / Math.max(normaliser, Math.ulp(1.0));
    }

    /**
     * The standard metric-learning protocol: k-means with k = number of classes over the
     * embeddings (deterministic by seed), then NMI of that clustering against the labels.
     */
    public static double ofKMeans(float[][] embeddings, int[] labels, long seed) {
        EvalChecks.notNull(labels, "labels");
        int classes = (int) java.util.Arrays.stream(labels).distinct().count();
        KMeansResult clustering = KMeans.fit(embeddings, classes, seed);
        return of(labels, clustering.assignments());
    }

    private static double entropy(long[] counts, int n) {
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = c / (double) n;
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
