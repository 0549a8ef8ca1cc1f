package org.reid.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Embedding-like test vectors: identities on the unit sphere, grouped (look-alikes share a group
 * direction), each with a few crops around its centre; crops of one identity have cosine ~0.6-0.9.
 * Public, in reid-index's test-jar: reid-index-solr tests its backend on the same galleries.
 */
public final class ClusteredVectors {

    public final int dim;
    public final List<IndexedVector> gallery = new ArrayList<>();
    public final List<float[]> queries = new ArrayList<>();
    private final Random random;
    private final List<float[]> centres = new ArrayList<>();
    private final List<Float> spreads = new ArrayList<>();

    public ClusteredVectors(int dim, int identities, int cameras, long seed) {
        this.dim = dim;
        this.random = new Random(seed);
        int groups = Math.max(4, identities / 20);
        List<float[]> groupDirections = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            groupDirections.add(gaussianUnit());
        }
        long entry = 1;
        for (int id = 0; id < identities; id++) {
            float[] centre = mix(groupDirections.get(random.nextInt(groups)), gaussianUnit(), 1.0f);
            float spread = 0.45f + 0.35f * random.nextFloat();
            centres.add(centre);
            spreads.add(spread);
            int crops = 5 + random.nextInt(16);
            for (int c = 0; c < crops; c++) {
                gallery.add(new IndexedVector(entry++, id, random.nextInt(cameras), 1_000L * random.nextInt(1_000_000),
                        mix(centre, gaussianUnit(), spread)));
            }
        }
    }

    /** Adds {@code n} queries: new crops of random identities. */
    public ClusteredVectors withQueries(int n) {
        for (int i = 0; i < n; i++) {
            int id = random.nextInt(centres.size());
            queries.add(mix(centres.get(id), gaussianUnit(), spreads.get(id)));
        }
        return this;
    }

    private float[] gaussianUnit() {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalise(v);
    }

    private static float[] mix(float[] base, float[] noise, float weight) {
        float[] v = new float[base.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = base[i] + weight * noise[i];
        }
        return normalise(v);
    }

    static float[] normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }
}
