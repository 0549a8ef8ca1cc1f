package org.reid.core.eval;

import java.util.Arrays;

/**
 * k-reciprocal re-ranking (Zhong et al., CVPR 2017), computing what torchreid's
 * {@code torchreid.utils.rerank.re_ranking} computes, in float64 instead of float32.
 *
 * <p>With N = numQuery + numGallery and D the N x N matrix {@code [[qq, qg], [qgᵀ, gg]]}:
 * <ol>
 *   <li>every entry is squared (again: the inputs are usually squared Euclidean distances
 *       already), each column is divided by its maximum, and the result is transposed, so working
 *       row i is column i of D over that column's max;</li>
 *   <li>the k1-reciprocal set of each row is expanded with the {@code round(k1/2)}-reciprocal sets
 *       of its members that overlap it by more than 2/3 (round is NumPy's half-to-even), and turned
 *       into weights {@code exp(-d)} normalised to sum 1;</li>
 *   <li>if {@code k2 != 1}, each row's weights are replaced by the mean over its k2 nearest rows
 *       (itself included): local query expansion;</li>
 *   <li>Jaccard distance {@code 1 - m/(2-m)} with {@code m = Σ_t min(V_it, V_jt)}, blended as
 *       {@code (1-λ)·jaccard + λ·d}.</li>
 * </ol>
 *
 * <p>Memory: the three input blocks (N² numbers; nothing of that size is copied), the
 * numQuery x numGallery result, and O(N·k1·k2) for neighbour lists and sparse weights. Time is
 * O(N²) for the two passes over the inputs plus the sparse Jaccard products. Ties in distance are
 * broken by index (a stable argsort).
 */
public final class KReciprocalReranker {
    /** The paper's setting, also torchreid's defaults. */
    public static final int DEFAULT_K1 = 20;
    public static final int DEFAULT_K2 = 6;
    public static final double DEFAULT_LAMBDA = 0.3;

    private KReciprocalReranker() {}

    /** Re-ranks with k1 = 20, k2 = 6, lambda = 0.3. */
    public static double[][] rerank(double[][] qg, double[][] qq, double[][] gg) {
        return rerank(qg, qq, gg, DEFAULT_K1, DEFAULT_K2, DEFAULT_LAMBDA);
    }

    /**
     * Re-ranked query x gallery distances.
     *
     * @param qg     query x gallery distances (torchreid: squared Euclidean)
     * @param qq     query x query distances
     * @param gg     gallery x gallery distances
     * @param k1     size of the k-reciprocal neighbourhood, >= 1
     * @param k2     size of the query expansion, >= 1 (1 turns it off)
     * @param lambda weight of the original distance, in [0, 1]
     * @return numQuery x numGallery re-ranked distances (smaller = more similar)
     * @throws IllegalArgumentException on mismatched shapes, NaN entries, an all-zero column of
     *                                  the combined matrix, or parameters out of range
     */
    public static double[][] rerank(double[][] qg, double[][] qq, double[][] gg, int k1, int k2, double lambda) {
        EvalChecks.notNull(qg, "qg");
        int nq = qg.length;
        int ng = nq == 0 || qg[0] == null ? 0 : qg[0].length;
        return new Run(DistanceBlock.of(qg, "qg", nq, ng), DistanceBlock.of(qq, "qq", nq, nq),
                DistanceBlock.of(gg, "gg", ng, ng), k1, k2, lambda).result();
    }

    /** Float inputs, read in place (half the memory of double inputs); computed in double. */
    public static double[][] rerank(float[][] qg, float[][] qq, float[][] gg, int k1, int k2, double lambda) {
        EvalChecks.notNull(qg, "qg");
        int nq = qg.length;
        int ng = nq == 0 || qg[0] == null ? 0 : qg[0].length;
        return new Run(DistanceBlock.of(qg, "qg", nq, ng), DistanceBlock.of(qq, "qq", nq, nq),
                DistanceBlock.of(gg, "gg", ng, ng), k1, k2, lambda).result();
    }

    /** One re-ranking computation; holds the working state. */
    private static final class Run {
        private final DistanceBlock qg;
        private final DistanceBlock qq;
        private final DistanceBlock gg;
        private final int nq;
        private final int n;
        private final int k1;
        private final int k2;
        private final double lambda;
        private final double[] columnMax;
        private final NearestLists nearest;

        Run(DistanceBlock qg, DistanceBlock qq, DistanceBlock gg, int k1, int k2, double lambda) {
            EvalChecks.positive(qg.rows(), "number of queries (qg rows)");
            EvalChecks.positive(qg.cols(), "number of gallery items (qg columns)");
            EvalChecks.positive(k1, "k1");
            EvalChecks.positive(k2, "k2");
            if (!(lambda >= 0 && lambda <= 1)) {
                throw new IllegalArgumentException("lambda must be in [0, 1], got " + lambda);
            }
            this.qg = qg;
            this.qq = qq;
            this.gg = gg;
            this.nq = qg.rows();
            this.n = nq + qg.cols();
            this.k1 = k1;
            this.k2 = k2;
            this.lambda = lambda;
            this.columnMax = columnMaxOfSquares();
            this.nearest = nearestLists(Math.min(n, Math.max(k1 + 1, k2)));
        }

        /** Entry (r, c) of D = [[qq, qg], [qgᵀ, gg]], squared. */
        private double squared(int r, int c) {
            double d;
            if (r < nq) {
                d = c < nq ? qq.get(r, c) : qg.get(r, c - nq);
            } else {
                d = c < nq ? qg.get(c, r - nq) : gg.get(r - nq, c - nq);
            }
            return d * d;
        }

        /** Working entry (i, j): column i of squared D, divided by the column's max. */
        private double working(int i, int j) {
            return squared(j, i) / columnMax[i];
        }

        /**
         * Visits every entry of squared D once, reading each input block row by row (qg twice:
         * as qg and as qgᵀ), so large inputs are scanned sequentially.
         */
        private void forEachSquared(EntryVisitor visitor) {
            for (int a = 0; a < nq; a++) {
                for (int b = 0; b < nq; b++) {
                    visitor.visit(a, b, sq(qq.get(a, b), "qq", a, b));
                }
                for (int b = 0; b < n - nq; b++) {
                    double s = sq(qg.get(a, b), "qg", a, b);
                    visitor.visit(a, nq + b, s);
                    visitor.visit(nq + b, a, s);
                }
            }
            for (int a = 0; a < n - nq; a++) {
                for (int b = 0; b < n - nq; b++) {
                    visitor.visit(nq + a, nq + b, sq(gg.get(a, b), "gg", a, b));
                }
            }
        }

        private static double sq(double d, String block, int r, int c) {
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException(block + "[" + r + "][" + c + "] is NaN");
            }
            return d * d;
        }

        private double[] columnMaxOfSquares() {
            double[] max = new double[n];
            forEachSquared((r, c, s) -> {
                if (s > max[c]) {
                    max[c] = s;
                }
            });
            for (int c = 0; c < n; c++) {
                if (!(max[c] > 0) || Double.isInfinite(max[c])) {
                    throw new IllegalArgumentException("column " + c + " of [[qq, qg], [qgT, gg]] has max |d|² = "
                            + max[c] + "; it must be positive and finite to normalise");
                }
            }
            return max;
        }

        /** First {@code width} entries of each working row's argsort. */
        private NearestLists nearestLists(int width) {
            NearestLists lists = new NearestLists(n, width);
            // D entry (r, c) is working entry (c, r).
            forEachSquared((r, c, s) -> lists.offer(c, r, s / columnMax[c]));
            return lists;
        }

        double[][] result() {
            SparseRows v = weights();
            if (k2 != 1) {
                v = expandQueries(v);
            }
            return blend(v);
        }

        /** Row i: exp(-d) weights over the expanded k-reciprocal set of i, summing to 1. */
        private SparseRows weights() {
            int halfK1 = (int) Math.rint(k1 / 2.0); // NumPy's np.around: half to even
            SparseRows v = new SparseRows(n);
            int[] scratch = new int[n];
            for (int i = 0; i < n; i++) {
                int[] reciprocal = reciprocalSet(i, k1);
                int size = 0;
                for (int j : reciprocal) {
                    scratch[size++] = j;
                }
                for (int candidate : reciprocal) {
                    int[] candidateSet = reciprocalSet(candidate, halfK1);
                    int overlap = 0;
                    for (int x : candidateSet) {
                        if (contains(reciprocal, x)) {
                            overlap++;
                        }
                    }
                    if (overlap > 2.0 / 3 * candidateSet.length) {
                        if (size + candidateSet.length > scratch.length) {
                            scratch = Arrays.copyOf(scratch, 2 * (size + candidateSet.length));
                        }
                        for (int x : candidateSet) {
                            scratch[size++] = x;
                        }
                    }
                }
                int[] expanded = Arrays.stream(scratch, 0, size).sorted().distinct().toArray();
                double[] w = new double[expanded.length];
                double sum = 0;
                for (int t = 0; t < expanded.length; t++) {
                    w[t] = Math.exp(-working(i, expanded[t]));
                    sum += w[t];
                }
                for (int t = 0; t < w.length; t++) {
                    w[t] /= sum;
                }
                v.set(i, expanded, w);
            }
            return v;
        }

        /** {j among the first k+1 of row i : i among the first k+1 of row j}, in row-i order. */
        private int[] reciprocalSet(int i, int k) {
            int width = Math.min(k + 1, n);
            int[] out = new int[width];
            int size = 0;
            for (int p = 0; p < width; p++) {
                int j = nearest.at(i, p);
                if (nearest.withinFirst(j, i, width)) {
                    out[size++] = j;
                }
            }
            return Arrays.copyOf(out, size);
        }

        private static boolean contains(int[] values, int x) {
            for (int y : values) {
                if (y == x) {
                    return true;
                }
            }
            return false;
        }

        /** Row i becomes the mean of the rows of its first k2 neighbours (itself included). */
        private SparseRows expandQueries(SparseRows v) {
            int width = Math.min(k2, n);
            SparseRows out = new SparseRows(n);
            double[] dense = new double[n];
            boolean[] touched = new boolean[n];
            int[] touchedList = new int[n];
            for (int i = 0; i < n; i++) {
                int count = 0;
                for (int p = 0; p < width; p++) {
                    int r = nearest.at(i, p);
                    int[] idx = v.indices(r);
                    double[] val = v.values(r);
                    for (int t = 0; t < idx.length; t++) {
                        if (!touched[idx[t]]) {
                            touched[idx[t]] = true;
                            touchedList[count++] = idx[t];
                        }
                        dense[idx[t]] += val[t];
                    }
                }
                Arrays.sort(touchedList, 0, count);
                int[] idx = Arrays.copyOf(touchedList, count);
                double[] val = new double[count];
                for (int t = 0; t < count; t++) {
                    val[t] = dense[idx[t]] / width;
                    dense[idx[t]] = 0;
                    touched[idx[t]] = false;
                }
                out.set(i, idx, val);
            }
            return out;
        }

        /** (1-λ)·Jaccard + λ·d for query rows and gallery columns, via an inverted index of V. */
        private double[][] blend(SparseRows v) {
            int ng = n - nq;
            SparseRows byColumn = v.transposeRows(nq, n); // column t -> (gallery row j, V_jt)
            double[][] out = new double[nq][ng];
            double[] overlap = new double[n];
            for (int i = 0; i < nq; i++) {
                int[] idx = v.indices(i);
                double[] val = v.values(i);
                for (int t = 0; t < idx.length; t++) {
                    int[] rows = byColumn.indices(idx[t]);
                    double[] rowValues = byColumn.values(idx[t]);
                    double vi = val[t];
                    for (int s = 0; s < rows.length; s++) {
                        overlap[rows[s]] += Math.min(vi, rowValues[s]);
                    }
                }
                for (int j = nq; j < n; j++) {
                    double m = overlap[j];
                    overlap[j] = 0;
                    double jaccard = 1 - m / (2 - m);
                    out[i][j - nq] = jaccard * (1 - lambda) + working(i, j) * lambda;
                }
            }
            return out;
        }
    }

    @FunctionalInterface
    private interface EntryVisitor {
        void visit(int row, int col, double squared);
    }
}
