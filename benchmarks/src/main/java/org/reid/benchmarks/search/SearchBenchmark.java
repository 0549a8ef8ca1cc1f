package org.reid.benchmarks.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.reid.core.util.FileTrees;
import org.reid.index.DotProducts;
import org.reid.index.FlatVectorStore;
import org.reid.index.IndexHit;
import org.reid.index.IndexOptions;
import org.reid.index.IndexedVector;
import org.reid.index.LuceneVectorIndex;
import org.reid.index.SearchFilter;

/**
 * Our side of benchmarks/search.sh, single-threaded: exact search (the service's
 * {@link FlatVectorStore}, SIMD and scalar kernels) and HNSW ({@link LuceneVectorIndex}) on the
 * files {@link EmbeddingLikeVectors} wrote. Writes the exact top-10 of every query as ground
 * truth ({@code truth-<size>.i32}) for both sides' recall, and one JSON line per measurement.
 *
 * <p>Usage: {@code SearchBenchmark <dataDir> <results.jsonl> <hnswMaxSize> <exactQueries:size=n,...>
 * <efs> <size>...}
 */
public final class SearchBenchmark {

    private static final int K = 10;
    private static final int WARMUP = 30;
    /** CPU time of this thread: on a shared machine it is the cost a query would have had alone. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Path dataDir;
    private final PrintWriter results;

    private SearchBenchmark(Path dataDir, PrintWriter results) {
        this.dataDir = dataDir;
        this.results = results;
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(args[0]);
        int hnswMax = Integer.parseInt(args[2]);
        int[] efs = Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1])), true)) {
            SearchBenchmark bench = new SearchBenchmark(dataDir, out);
            for (int i = 5; i < args.length; i++) {
                int size = Integer.parseInt(args[i]);
                bench.run(size, exactQueries(args[3], size), size <= hnswMax ? efs : new int[0]);
            }
        }
    }

    private static int exactQueries(String spec, int size) {
        for (String part : spec.split(",")) {
            String[] kv = part.split("=");
            if (Integer.parseInt(kv[0]) == size) {
                return Integer.parseInt(kv[1]);
            }
        }
        throw new IllegalArgumentException("no query count for size " + size + " in " + spec);
    }

    private void run(int size, int exactQueries, int[] efs) throws IOException {
        Path galleryFile = dataDir.resolve("gallery-" + size + ".f32");
        float[][] queries = VectorFile.readAll(dataDir.resolve("queries-" + size + ".f32"), Integer.MAX_VALUE);
        int dim = queries[0].length;
        int truthQueries = efs.length > 0 ? queries.length : Math.min(queries.length, exactQueries);

        FlatVectorStore flat = new FlatVectorStore(dim, DotProducts.best());
        long t0 = System.nanoTime();
        VectorFile.readRows(galleryFile, size, (row, v) -> flat.put(row, row, 0, 0, v));
        log("size=%d dim=%d loaded in %.1f s, exact kernel %s", size, dim, (System.nanoTime() - t0) / 1e9, flat.kernel());

        int[][] truth = exact("ours-exact-" + flat.kernel(), flat, queries, size, exactQueries, truthQueries);
        try (VectorFile out = VectorFile.create(dataDir.resolve("truth-" + size + ".i32"), truth.length, K)) {
            for (int[] row : truth) {
                out.write(row);
            }
        }
        if (size <= 100_000) {
            FlatVectorStore scalar = new FlatVectorStore(dim, DotProducts.scalar());
            VectorFile.readRows(galleryFile, size, (row, v) -> scalar.put(row, row, 0, 0, v));
            exact("ours-exact-scalar", scalar, queries, size, Math.min(exactQueries, 300), 0);
        }
        if (efs.length > 0) {
            hnsw(galleryFile, size, dim, queries, truth, efs, flat);
        }
    }

    /** Times exact top-10 on the first {@code timed} queries; returns the top-10 of the first {@code truthCount}. */
    private int[][] exact(String name, FlatVectorStore store, float[][] queries, int size, int timed, int truthCount) {
        for (int i = 0; i < WARMUP; i++) {
            store.search(queries[i % queries.length], K, SearchFilter.NONE);
        }
        int n = Math.min(timed, queries.length);
        long[] nanos = new long[n];
        int[][] truth = new int[Math.max(truthCount, 0)][];
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int q = 0; q < n; q++) {
            long t = System.nanoTime();
            List<IndexHit> hits = store.search(queries[q], K, SearchFilter.NONE);
            nanos[q] = System.nanoTime() - t;
            if (q < truth.length) {
                truth[q] = ids(hits);
            }
        }
        double total = (System.nanoTime() - start) / 1e9;
        double cpuMs = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6 / n;
        for (int q = n; q < truth.length; q++) {
            truth[q] = ids(store.search(queries[q], K, SearchFilter.NONE));
        }
        emit(name, "exact", size, n, total, cpuMs, nanos, 1.0, -1);
        return truth;
    }

    private void hnsw(Path galleryFile, int size, int dim, float[][] queries, int[][] truth, int[] efs,
                      FlatVectorStore flat) throws IOException {
        // the int7 variant doubles the build time; -Dsearch.int7Max limits it to small galleries
        int int7Max = Integer.getInteger("search.int7Max", Integer.MAX_VALUE);
        for (boolean quantised : size <= int7Max ? new boolean[] {false, true} : new boolean[] {false}) {
            Path dir = Files.createTempDirectory("search-bench-lucene");
            IndexOptions options = IndexOptions.DEFAULTS.withExactThreshold(0).withHnsw(16, 100)
                    .withQuantization(quantised ? org.reid.index.Quantization.INT7 : org.reid.index.Quantization.NONE).withRamBufferMb(4096);
            String name = quantised ? "ours-hnsw-lucene-int7" : "ours-hnsw-lucene";
            try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, dim, options)) {
                List<IndexedVector> all = new ArrayList<>(size);
                VectorFile.readRows(galleryFile, size, (row, v) -> all.add(new IndexedVector(row, row, 0, 0, v.clone())));
                long t0 = System.nanoTime();
                index.add(all);           // one batch: one flush, one segment, one graph
                index.mergeSegments(1);   // no-op unless Lucene flushed early
                index.commit();
                double build = (System.nanoTime() - t0) / 1e9;
                all.clear();
                log("%s build %.1f s (%d segment(s))", name, build, index.segmentCount());
                results.printf(Locale.ROOT, "{\"side\":\"java\",\"impl\":\"%s\",\"kind\":\"hnsw-build\",\"size\":%d,"
                        + "\"build_s\":%.2f,\"M\":16,\"ef_construction\":100}%n", name, size, build);
                for (int ef : efs) {
                    measureHnsw(name, index, size, queries, truth, ef);
                }
            } finally {
                FileTrees.deleteRecursively(dir);
            }
        }
    }

    private void measureHnsw(String name, LuceneVectorIndex index, int size, float[][] queries, int[][] truth, int ef) {
        for (int i = 0; i < WARMUP * 3; i++) {
            index.searchHnsw(queries[i % queries.length], K, SearchFilter.NONE, ef);
        }
        int n = truth.length;
        long[] nanos = new long[n];
        double found = 0;
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int q = 0; q < n; q++) {
            long t = System.nanoTime();
            List<IndexHit> hits = index.searchHnsw(queries[q], K, SearchFilter.NONE, ef);
            nanos[q] = System.nanoTime() - t;
            Set<Integer> expected = new HashSet<>();
            for (int id : truth[q]) {
                expected.add(id);
            }
            for (IndexHit h : hits) {
                if (expected.contains((int) h.entryId())) {
                    found++;
                }
            }
        }
        double total = (System.nanoTime() - start) / 1e9;
        double cpuMs = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6 / n;
        emit(name, "hnsw", size, n, total, cpuMs, nanos, found / (K * (double) n), ef);
    }

    private void emit(String impl, String kind, int size, int n, double totalSeconds, double cpuMs, long[] nanos,
                      double recall, int ef) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double median = sorted[n / 2] / 1e6;
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        double qps = n / totalSeconds;
        results.printf(Locale.ROOT, "{\"side\":\"java\",\"impl\":\"%s\",\"kind\":\"%s\",\"size\":%d,\"queries\":%d,"
                + "\"ms_median\":%.4f,\"ms_mean\":%.4f,\"cpu_ms\":%.4f,\"qps\":%.1f,\"recall10\":%.4f,\"ef\":%d}%n",
                impl, kind, size, n, median, mean, cpuMs, qps, recall, ef);
        log("%-26s %-5s size=%-8d ef=%-4s n=%-5d median %8.3f ms  mean %8.3f ms  cpu %8.3f ms  %9.1f QPS  recall@10 %.4f",
                impl, kind, size, ef < 0 ? "-" : Integer.toString(ef), n, median, mean, cpuMs, qps, recall);
    }

    private static int[] ids(List<IndexHit> hits) {
        return hits.stream().mapToInt(h -> (int) h.entryId()).toArray();
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, format + "%n", args);
    }
}
