package org.reid.core.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Small exact k-means (Lloyd's algorithm, k-means++ seeding) to cluster embeddings for the NMI
 * protocol. Deterministic for a given seed. O(iterations · n · k · dim) time, O(k · dim) extra
 * memory.
 */
public final class KMeans {
    public static final int DEFAULT_MAX_ITERATIONS = 300;
    public static final int DEFAULT_RESTARTS = 3;

    private KMeans() {}

    /** {@link #fit(float[][], int, long, int, int)} with 300 iterations and 3 restarts. */
    public static KMeansResult fit(float[][] points, int k, long seed) {
        return fit(points, k, seed, DEFAULT_MAX_ITERATIONS, DEFAULT_RESTARTS);
    }

    /**
     * Clusters {@code points} into {@code k} clusters; keeps the restart with the lowest inertia.
     * Each run stops when no assignment changes or after {@code maxIterations}.
     *
     * @throws IllegalArgumentException if k is not in 1..n, rows differ in length or hold NaN
     */
    public static KMeansResult fit(float[][] points, int k, long seed, int maxIterations, int restarts) {
        EvalChecks.notNull(points, "points");
        int n = points.length;
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k=" + k + " outside 1.." + n + " (number of points)");
        }
        EvalChecks.positive(maxIterations, "maxIterations");
        EvalChecks.positive(restarts, "restarts");
        int dim = points[0] == null ? -1 : points[0].length;
        for (int i = 0; i < n; i++) {
            if (points[i] == null || points[i].length != dim) {
                throw new IllegalArgumentException("points row " + i + " has a different length than row 0 (" + dim + ")");
            }
            for (float x : points[i]) {
                if (Float.isNaN(x)) {
                    throw new IllegalArgumentException("points row " + i + " contains NaN");
                }
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        KMeansResult best = null;
        for (int r = 0; r < restarts; r++) {
            KMeansResult run = lloyd(points, k, dim, plusPlusSeeds(points, k, dim, random.split()), maxIterations);
            if (best == null || run.inertia() < best.inertia()) {
                best = run;
            }
        }
        return best;
    }

    /** k-means++: each next centre drawn with probability proportional to squared distance. */
    private static double[][] plusPlusSeeds(float[][] points, int k, int dim, SplittableRandom random) {
        int n = points.length;
        double[][] centres = new double[k][];
        centres[0] = toDouble(points[random.nextInt(n)]);
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], squaredDistance(points[i], centres[c - 1], dim));
                total += nearest[i];
            }
            int chosen;
            if (total == 0) {
                chosen = random.nextInt(n); // all points coincide with centres already chosen
            } else {
                double target = random.nextDouble() * total;
                chosen = n - 1;
                double running = 0;
                for (int i = 0; i < n; i++) {
                    running += nearest[i];
                    if (running > target) {
                        chosen = i;
                        break;
                    }
                }
            }
            centres[c] = toDouble(points[chosen]);
        }
        return centres;
    }

    private static KMeansResult lloyd(float[][] points, int k, int dim, double[][] centres, int maxIterations) {
        int n = points.length;
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        double[] distanceToCentre = new double[n];
        int iteration = 0;
        boolean changed = true;
        while (changed && iteration < maxIterations) {
            iteration++;
            changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double d = squaredDistance(points[i], centres[c], dim);
                    if (d < bestD) {
                        bestD = d;
                        best = c;
                    }
                }
                distanceToCentre[i] = bestD;
                if (assignment[i] != best) {
                    assignment[i] = best;
                    changed = true;
                }
            }
            if (updateCentres(points, assignment, distanceToCentre, centres, dim)) {
                changed = true;
            }
        }
        double inertia = 0;
        for (int i = 0; i < n; i++) {
            inertia += squaredDistance(points[i], centres[assignment[i]], dim);
        }
        return new KMeansResult(assignment, centres, inertia, iteration);
    }

    /**
     * Moves each centre to the mean of its points. An empty cluster takes over the point
     * farthest from its centre (that point is reassigned to it), so k clusters stay in use.
     *
     * @return whether an empty cluster had to be re-seeded (the assignment changed)
     */
    private static boolean updateCentres(float[][] points, int[] assignment, double[] distanceToCentre,
                                         double[][] centres, int dim) {
        int k = centres.length;
        int[] counts = new int[k];
        for (int a : assignment) {
            counts[a]++;
        }
        boolean reseeded = false;
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                continue;
            }
            int far = -1;
            for (int i = 0; i < points.length; i++) {
                if (counts[assignment[i]] > 1 && (far < 0 || distanceToCentre[i] > distanceToCentre[far])) {
                    far = i;
                }
            }
            counts[assignment[far]]--;
            assignment[far] = c;
            counts[c] = 1;
            distanceToCentre[far] = 0;
            reseeded = true;
        }
        for (double[] centre : centres) {
            Arrays.fill(centre, 0);
        }
        for (int i = 0; i < points.length; i++) {
            double[] centre = centres[assignment[i]];
            for (int t = 0; t < dim; t++) {
                centre[t] += points[i][t];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int t = 0; t < dim; t++) {
                centres[c][t] /= counts[c];
            }
        }
        return reseeded;
    }

    private static double squaredDistance(float[] p, double[] centre, int dim) {
        double s = 0;
        for (int t = 0; t < dim; t++) {
            double diff = p[t] - centre[t];
            s += diff * diff;
        }
        return s;
    }

    private static double[] toDouble(float[] p) {
        double[] out = new double[p.length];
        for (int t = 0; t < p.length; t++) {
            out[t] = p[t];
        }
        return out;
    }
}
