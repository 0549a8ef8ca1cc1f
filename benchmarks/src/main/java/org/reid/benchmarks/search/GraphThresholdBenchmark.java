package org.reid.benchmarks.search;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.reid.core.util.FileTrees;
import org.reid.index.IndexHit;
import org.reid.index.IndexOptions;
import org.reid.index.IndexedVector;
import org.reid.index.LuceneVectorIndex;
import org.reid.index.Quantization;
import org.reid.index.SearchFilter;

/**
 * Where a segment starts to deserve an HNSW graph ({@code IndexOptions.graphMinEntries}): one
 * segment of n entries, written with a graph and without one, side by side in one JVM. For each:
 * the CPU to build it (additions of 128, as ingestion adds them, then merged into one segment) and
 * the latency of the service's kNN search on it (efSearch candidates, k=10), one thread, with
 * recall@10 against the exact top 10.
 *
 * <pre>
 * java -cp benchmarks.jar org.reid.benchmarks.search.GraphThresholdBenchmark GALLERY.f32 QUERIES.f32 \
 *     500,1000,2000,4000,8000,16000 [efSearch=100] [int7|none] [queries=500]
 * </pre>
 */
public final class GraphThresholdBenchmark {
    private static final int K = 10;
    private static final int CHUNK = 128;

    private GraphThresholdBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path galleryFile = Path.of(args[0]);
        int[] sizes = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int ef = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Quantization quantization = Quantization.parse(args.length > 4 ? args[4] : "int7");
        int queryCount = args.length > 5 ? Integer.parseInt(args[5]) : 500;
        float[][] queries = VectorFile.readAll(Path.of(args[1]), queryCount);
        int largest = Arrays.stream(sizes).max().orElseThrow();
        float[][] gallery = VectorFile.readAll(galleryFile, largest);
        int dim = gallery[0].length;
        System.out.printf(Locale.ROOT, "%s, %d-d, efSearch=%d, %d queries, k=%d; load %s%n", quantization, dim, ef,
                queries.length, K, Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println("| entries | build CPU, graph (ms) | build CPU, no graph (ms) | search p50, graph (us) "
                + "| search p50, no graph (us) | recall@10 graph | recall@10 no graph |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int n : sizes) {
            Result graph = run(gallery, n, queries, dim, ef, quantization, 0);
            Result flat = run(gallery, n, queries, dim, ef, quantization, Integer.MAX_VALUE);
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.4f | %.4f |%n", n, graph.buildCpuMs,
                    flat.buildCpuMs, graph.p50Us, flat.p50Us, graph.recall, flat.recall);
        }
    }

    private record Result(double buildCpuMs, double p50Us, double recall) {}

    private static Result run(float[][] gallery, int n, float[][] queries, int dim, int ef, Quantization quantization,
                              int graphMinEntries) throws Exception {
        Path dir = Files.createTempDirectory("graph-threshold-");
        IndexOptions options = IndexOptions.DEFAULTS.withExactThreshold(0).withEfSearch(ef).withQuantization(quantization)
                .withGraphMinEntries(graphMinEntries);
        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, dim, options)) {
            long cpu0 = processCpuNanos();
            List<IndexedVector> chunk = new ArrayList<>(CHUNK);
            for (int i = 0; i < n; i++) {
                chunk.add(new IndexedVector(i, i / 4, i % 6, 0L, gallery[i]));
                if (chunk.size() == CHUNK || i == n - 1) {
                    index.add(chunk);
                    chunk.clear();
                }
            }
            index.awaitMerges();
            index.mergeSegments(1);
            double buildCpuMs = (processCpuNanos() - cpu0) / 1e6;
            for (int w = 0; w < 100; w++) { // JIT warm-up
                index.searchHnsw(queries[w % queries.length], K, SearchFilter.NONE);
            }
            long[] nanos = new long[queries.length];
            double found = 0;
            for (int q = 0; q < queries.length; q++) {
                long t = System.nanoTime();
                List<IndexHit> hits = index.searchHnsw(queries[q], K, SearchFilter.NONE);
                nanos[q] = System.nanoTime() - t;
                Set<Long> truth = new HashSet<>();
                index.searchExact(queries[q], K, SearchFilter.NONE).forEach(h -> truth.add(h.entryId()));
                found += hits.stream().filter(h -> truth.contains(h.entryId())).count();
            }
            Arrays.sort(nanos);
            return new Result(buildCpuMs, nanos[nanos.length / 2] / 1e3, found / (queries.length * (double) K));
        } finally {
            FileTrees.deleteRecursively(dir);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
