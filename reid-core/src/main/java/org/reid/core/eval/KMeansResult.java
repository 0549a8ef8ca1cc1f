package org.reid.core.eval;

/**
 * Outcome of {@link KMeans#fit}.
 *
 * @param assignments cluster of each point, in 0..k-1
 * @param centroids   k centroids
 * @param inertia     sum of squared distances of the points to their centroids
 * @param iterations  Lloyd iterations run by the best restart
 */
public record KMeansResult(int[] assignments, double[][] centroids, double inertia, int iterations) {
    public KMeansResult {
        assignments = assignments.clone();
        double[][] copy = new double[centroids.length][];
        for (int c = 0; c < copy.length; c++) {
            copy[c] = centroids[c].clone();
        }
        centroids = copy;
    }

    @Override
    public int[] assignments() {
        return assignments.clone();
    }

    @Override
    public double[][] centroids() {
        double[][] copy = new double[centroids.length][];
        for (int c = 0; c < copy.length; c++) {
            copy[c] = centroids[c].clone();
        }
        return copy;
    }
}
