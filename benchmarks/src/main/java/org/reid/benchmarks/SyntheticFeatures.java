package org.reid.benchmarks;

import java.util.SplittableRandom;

/**
 * Synthetic re-ID set for benchmarks: each identity has a random centre in a low-dimensional
 * space, each image is its centre plus Gaussian noise, and carries a random camera. Deterministic
 * by seed. Distances are squared Euclidean, computed on demand.
 */
final class SyntheticFeatures {
    final float[][] features;
    final int[] pids;
    final int[] cams;

    private SyntheticFeatures(float[][] features, int[] pids, int[] cams) {
        this.features = features;
        this.pids = pids;
        this.cams = cams;
    }

    /** {@code count} images of identities 1..identities, noise 0.7 around unit-variance centres. */
    static SyntheticFeatures generate(int count, int identities, int cameras, int dim, float[][] centres,
                                      long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] f = new float[count][dim];
        int[] pids = new int[count];
        int[] cams = new int[count];
        for (int i = 0; i < count; i++) {
            int id = rnd.nextInt(identities);
            pids[i] = id + 1;
            cams[i] = rnd.nextInt(cameras);
            for (int t = 0; t < dim; t++) {
                f[i][t] = centres[id][t] + (float) (0.7 * gaussian(rnd));
            }
        }
        return new SyntheticFeatures(f, pids, cams);
    }

    static float[][] centres(int identities, int dim, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] c = new float[identities][dim];
        for (float[] row : c) {
            for (int t = 0; t < dim; t++) {
                row[t] = (float) gaussian(rnd);
            }
        }
        return c;
    }

    /** Squared Euclidean distances from {@code query} to every row of {@code gallery}. */
    static void distances(float[] query, float[][] gallery, double[] out) {
        int dim = query.length;
        for (int j = 0; j < gallery.length; j++) {
            float[] g = gallery[j];
            float s0 = 0;
            float s1 = 0;
            for (int t = 0; t + 1 < dim; t += 2) {
                float a = query[t] - g[t];
                float b = query[t + 1] - g[t + 1];
                s0 += a * a;
                s1 += b * b;
            }
            if ((dim & 1) == 1) {
                float a = query[dim - 1] - g[dim - 1];
                s0 += a * a;
            }
            out[j] = s0 + s1;
        }
    }

    static double[][] squaredDistances(float[][] a, float[][] b) {
        double[][] d = new double[a.length][b.length];
        java.util.stream.IntStream.range(0, a.length).parallel().forEach(i -> distances(a[i], b, d[i]));
        return d;
    }

    /** Float matrix, built row by row through one double row per thread (half the memory). */
    static float[][] squaredDistancesAsFloat(float[][] a, float[][] b) {
        float[][] d = new float[a.length][b.length];
        ThreadLocal<double[]> row = ThreadLocal.withInitial(() -> new double[b.length]);
        java.util.stream.IntStream.range(0, a.length).parallel().forEach(i -> {
            double[] r = row.get();
            distances(a[i], b, r);
            for (int j = 0; j < r.length; j++) {
                d[i][j] = (float) r[j];
            }
        });
        return d;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
