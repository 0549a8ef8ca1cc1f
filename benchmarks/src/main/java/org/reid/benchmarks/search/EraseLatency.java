package org.reid.benchmarks.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.reid.index.IndexOptions;
import org.reid.index.IndexedVector;
import org.reid.index.LuceneVectorIndex;

/**
 * How long an erasure of one entry takes in the service's index: the delete rewrites every segment
 * holding a deleted vector (so the vector is in no file), which rebuilds that segment's HNSW graph.
 * Measured with the index in one segment and in several, with the HNSW search time beside it.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar --add-modules jdk.incubator.vector \
 *     org.reid.benchmarks.search.EraseLatency 50000 256 1,5</pre>
 */
public final class EraseLatency {
    private EraseLatency() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int dim = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        String[] segmentCounts = (args.length > 2 ? args[2] : "1,5").split(",");
        List<IndexedVector> vectors = clustered(n, dim, 7);
        for (String s : segmentCounts) {
            int segments = Integer.parseInt(s.trim());
            Path dir = Files.createTempDirectory("erase-latency");
            try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, dim, IndexOptions.DEFAULTS)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i += 2000) {
                    index.add(vectors.subList(i, Math.min(n, i + 2000)));
                }
                index.mergeSegments(segments);
                long t1 = System.nanoTime();
                System.out.printf("n=%d dim=%d: built and merged to %d segment(s) in %.1f s%n", n, dim, index.segmentCount(),
                        (t1 - t0) / 1e9);
                long s0 = System.nanoTime();
                for (int q = 0; q < 300; q++) {
                    index.searchHnsw(vectors.get((q * 7919) % n).vector(), 10, org.reid.index.SearchFilter.NONE);
                }
                System.out.printf("  HNSW top-10 search: %.2f ms per query (300 queries)%n", (System.nanoTime() - s0) / 1e6 / 300);
                for (int rep = 0; rep < 3; rep++) {
                    long id = vectors.get(rep * 997).entryId();
                    long d0 = System.nanoTime();
                    index.delete(List.of(id));
                    System.out.printf("  erase one entry: %.2f s (segments now %d)%n", (System.nanoTime() - d0) / 1e9,
                            index.segmentCount());
                }
            }
        }
    }

    /** Identities of 10 entries around random centres, as embeddings cluster. */
    static List<IndexedVector> clustered(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<IndexedVector> out = new ArrayList<>(n);
        float[] centre = null;
        for (int i = 0; i < n; i++) {
            if (i % 10 == 0) {
                centre = gaussian(r, dim, 1.0);
            }
            float[] v = gaussian(r, dim, 0.6);
            for (int d = 0; d < dim; d++) {
                v[d] += centre[d];
            }
            out.add(new IndexedVector(i + 1, i / 10 + 1, i % 6, 1_700_000_000_000L + i, v));
        }
        return out;
    }

    private static float[] gaussian(SplittableRandom r, int dim, double sigma) {
        float[] v = new float[dim];
        for (int d = 0; d < dim; d++) {
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            v[d] = (float) (sigma * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }
}
