package org.reid.core.eval;

import java.util.Arrays;

/**
 * Recall@K for class-disjoint metric-learning evaluation (CUB-200, Cars196, SOP style): every
 * sample is a query against all the others (leave-one-out); it is a hit at K when at least one of
 * its K nearest other samples has its label. Recall@K is the fraction of hits over all samples;
 * a sample whose label occurs once can never hit and still counts.
 *
 * <p>Distances are Euclidean. For cosine similarity, L2-normalise the embeddings first: the
 * neighbour order is then the same. Ties are broken by sample index.
 */
public final class RecallAtK {
    private RecallAtK() {}

    /**
     * @param embeddings one row per sample, all of the same dimension
     * @param labels     class of each sample
     * @param ks         the K values, each in 1..n-1
     * @return recall for each K, in the order of {@code ks}
     */
    public static double[] compute(float[][] embeddings, int[] labels, int... ks) {
        EvalChecks.notNull(embeddings, "embeddings");
        EvalChecks.notNull(labels, "labels");
        int n = embeddings.length;
        if (labels.length != n) {
            throw new IllegalArgumentException(
                    "embeddings has " + n + " rows but labels has length " + labels.length);
        }
        int dim = checkRows(embeddings);
        int maxK = checkKs(ks, n);
        return recall(n, labels, ks, maxK, (i, j) -> {
            float[] a = embeddings[i];
            float[] b = embeddings[j];
            double s = 0;
            for (int t = 0; t < dim; t++) {
                double diff = (double) a[t] - b[t];
                s += diff * diff;
            }
            return s;
        });
    }

    /**
     * Recall@K from a precomputed n x n distance matrix (smaller = closer; the diagonal is
     * ignored).
     */
    public static double[] fromDistances(double[][] distances, int[] labels, int... ks) {
        EvalChecks.notNull(distances, "distances");
        EvalChecks.notNull(labels, "labels");
        int n = labels.length;
        DistanceBlock.of(distances, "distances", n, n);
        int maxK = checkKs(ks, n);
        return recall(n, labels, ks, maxK, (i, j) -> distances[i][j]);
    }

    private interface PairDistance {
        double between(int i, int j);
    }

    private static double[] recall(int n, int[] labels, int[] ks, int maxK, PairDistance distance) {
        long[] hitsAt = new long[maxK]; // by position of the first same-label neighbour
        NearestLists nearest = new NearestLists(1, maxK);
        for (int i = 0; i < n; i++) {
            nearest.clear(0);
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double d = distance.between(i, j);
                    if (Double.isNaN(d)) {
                        throw new IllegalArgumentException("distance between samples " + i + " and " + j + " is NaN");
                    }
                    nearest.offer(0, j, d);
                }
            }
            for (int p = 0; p < maxK; p++) {
                if (labels[nearest.at(0, p)] == labels[i]) {
                    hitsAt[p]++;
                    break;
                }
            }
        }
        double[] out = new double[ks.length];
        for (int t = 0; t < ks.length; t++) {
            long hits = 0;
            for (int p = 0; p < ks[t]; p++) {
                hits += hitsAt[p];
            }
            out[t] = hits / (double) n;
        }
        return out;
    }

    private static int checkRows(float[][] embeddings) {
        if (embeddings.length == 0 || embeddings[0] == null) {
            throw new IllegalArgumentException("embeddings must have at least 2 non-null rows");
        }
        int dim = embeddings[0].length;
        for (int i = 0; i < embeddings.length; i++) {
            if (embeddings[i] == null || embeddings[i].length != dim) {
                throw new IllegalArgumentException("embeddings row " + i + " has "
                        + (embeddings[i] == null ? "no" : embeddings[i].length + "") + " values, row 0 has " + dim);
            }
        }
        return dim;
    }

    private static int checkKs(int[] ks, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("Recall@K needs at least 2 samples, got " + n);
        }
        if (ks == null || ks.length == 0) {
            throw new IllegalArgumentException("ks must list at least one K");
        }
        for (int k : ks) {
            if (k < 1 || k > n - 1) {
                throw new IllegalArgumentException("K=" + k + " outside 1.." + (n - 1) + " (n-1 other samples)");
            }
        }
        return Arrays.stream(ks).max().getAsInt();
    }
}
