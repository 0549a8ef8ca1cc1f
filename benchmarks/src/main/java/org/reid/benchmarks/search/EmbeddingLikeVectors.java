package org.reid.benchmarks.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.reid.core.util.UnitVectors;

/**
 * Writes gallery and query files that look like re-ID embeddings rather than Gaussian noise:
 * identities on the unit sphere in look-alike groups (one group per ~50 identities; identity
 * centres of a group have cosine ~0.5), 5-20 crops per identity around its centre (same-identity
 * cosine ~0.6-0.9, the spread varying per identity), rows shuffled as ingestion order would be.
 * Queries are fresh crops of gallery identities.
 *
 * <p>Usage: {@code EmbeddingLikeVectors <dir> <dim> <queries> <seed> <size>...} writes
 * {@code gallery-<size>.f32} and {@code queries-<size>.f32} for each size.
 */
public final class EmbeddingLikeVectors {

    private final int dim;
    private final Random random;

    EmbeddingLikeVectors(int dim, long seed) {
        this.dim = dim;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int dim = Integer.parseInt(args[1]);
        int queries = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        Files.createDirectories(dir);
        for (int i = 4; i < args.length; i++) {
            int size = Integer.parseInt(args[i]);
            Path gallery = dir.resolve("gallery-" + size + ".f32");
            Path query = dir.resolve("queries-" + size + ".f32");
            if (Files.exists(gallery) && Files.exists(query)) {
                System.out.println("exists: " + gallery);
                continue;
            }
            long t0 = System.nanoTime();
            new EmbeddingLikeVectors(dim, seed + size).write(size, queries, gallery, query);
            System.out.printf("wrote %s and %s in %.1f s%n", gallery, query, (System.nanoTime() - t0) / 1e9);
        }
    }

    void write(int size, int queryCount, Path galleryFile, Path queryFile) throws IOException {
        // identity of each gallery row, shuffled; crops per identity 5..20
        int[] identityOfRow = new int[size];
        int identities = 0;
        for (int filled = 0; filled < size; identities++) {
            int crops = Math.min(5 + random.nextInt(16), size - filled);
            for (int c = 0; c < crops; c++) {
                identityOfRow[filled++] = identities;
            }
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = identityOfRow[i];
            identityOfRow[i] = identityOfRow[j];
            identityOfRow[j] = t;
        }
        int groups = Math.max(4, identities / 50);
        float[][] groupDirections = new float[groups][];
        for (int g = 0; g < groups; g++) {
            groupDirections[g] = gaussianUnit();
        }
        float[][] centres = new float[identities][];
        float[] spreads = new float[identities];
        for (int id = 0; id < identities; id++) {
            centres[id] = mix(groupDirections[random.nextInt(groups)], gaussianUnit(), 1.0f);
            spreads[id] = 0.45f + 0.35f * random.nextFloat();
        }
        try (VectorFile out = VectorFile.create(galleryFile, size, dim)) {
            for (int r = 0; r < size; r++) {
                int id = identityOfRow[r];
                out.write(mix(centres[id], gaussianUnit(), spreads[id]));
            }
        }
        try (VectorFile out = VectorFile.create(queryFile, queryCount, dim)) {
            for (int q = 0; q < queryCount; q++) {
                int id = identityOfRow[random.nextInt(size)];
                out.write(mix(centres[id], gaussianUnit(), spreads[id]));
            }
        }
    }

    private float[] gaussianUnit() {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return UnitVectors.of(v);
    }

    private static float[] mix(float[] base, float[] noise, float weight) {
        float[] v = new float[base.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = base[i] + weight * noise[i];
        }
        return UnitVectors.of(v);
    }
}
