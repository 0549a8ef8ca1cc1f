package org.reid.core.eval;

/**
 * {@link QueryRowSource}s that compute a query's distance row from embeddings on demand, the
 * distances torchreid's {@code compute_distance_matrix} gives: squared Euclidean, or cosine
 * distance {@code 1 - cos}. Stateless, so safe to share between evaluation threads.
 */
public final class EmbeddingDistances {
    private EmbeddingDistances() {}

    /** Squared Euclidean distance {@code ||q - g||²} (same ranking as Euclidean). */
    public static QueryRowSource squaredEuclidean(float[][] queries, float[][] gallery) {
        int dim = checkDims(queries, gallery);
        return (q, row) -> {
            float[] a = queries[q];
            for (int j = 0; j < gallery.length; j++) {
                float[] b = gallery[j];
                // independent partial sums: HotSpot does not vectorise one float reduction
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                int t = 0;
                for (; t + 3 < dim; t += 4) {
                    float d0 = a[t] - b[t];
                    float d1 = a[t + 1] - b[t + 1];
                    float d2 = a[t + 2] - b[t + 2];
                    float d3 = a[t + 3] - b[t + 3];
                    s0 += d0 * d0;
                    s1 += d1 * d1;
                    s2 += d2 * d2;
                    s3 += d3 * d3;
                }
                for (; t < dim; t++) {
                    float d = a[t] - b[t];
                    s0 += d * d;
                }
                row[j] = (s0 + s1) + (s2 + s3);
            }
        };
    }

    /** Cosine distance {@code 1 - q·g / (|q| |g|)}; a zero vector is treated as having norm 1. */
    public static QueryRowSource cosine(float[][] queries, float[][] gallery) {
        int dim = checkDims(queries, gallery);
        double[] galleryNorms = norms(gallery);
        double[] queryNorms = norms(queries);
        return (q, row) -> {
            float[] a = queries[q];
            for (int j = 0; j < gallery.length; j++) {
                float[] b = gallery[j];
                double dot = 0;
                for (int t = 0; t < dim; t++) {
                    dot += a[t] * b[t];
                }
                row[j] = 1 - dot / (queryNorms[q] * galleryNorms[j]);
            }
        };
    }

    private static double[] norms(float[][] m) {
        double[] n = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            double s = 0;
            for (float x : m[i]) {
                s += (double) x * x;
            }
            n[i] = s > 0 ? Math.sqrt(s) : 1;
        }
        return n;
    }

    private static int checkDims(float[][] queries, float[][] gallery) {
        EvalChecks.notNull(queries, "queries");
        EvalChecks.notNull(gallery, "gallery");
        if (queries.length == 0 || gallery.length == 0) {
            throw new IllegalArgumentException("queries (" + queries.length + " rows) and gallery ("
                    + gallery.length + " rows) must not be empty");
        }
        int dim = queries[0].length;
        check(queries, "queries", dim);
        check(gallery, "gallery", dim);
        return dim;
    }

    private static void check(float[][] m, String name, int dim) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] == null || m[i].length != dim) {
                throw new IllegalArgumentException(name + " row " + i + " has "
                        + (m[i] == null ? "no" : String.valueOf(m[i].length)) + " values, queries row 0 has " + dim);
            }
        }
    }
}
