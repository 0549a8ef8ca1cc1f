package org.reid.benchmarks.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.reid.index.IndexHit;
import org.reid.index.IndexOptions;
import org.reid.index.IndexedVector;
import org.reid.index.LuceneVectorIndex;
import org.reid.index.Quantization;
import org.reid.index.SearchFilter;

/**
 * The service's index at scale, shaped as the service builds it (additions of 2,000 entries, each
 * made searchable at once, background merges, then {@code compact()} as after a rebuild), one configuration per JVM so that its memory is
 * its own: build time, segments, bytes on disk per entry, process RSS, heap after GC, recall@10
 * against the exact top-10 (written by {@code index_scale_peers.py truth}), p50/p99 latency at one
 * thread per ef, and erasure: the latency of {@code delete} (after which the entry is in no answer,
 * checked) and of the purge that removes it from the files, with the search latency while the
 * purge runs. Appends one JSON line per measurement to {@code out}.
 *
 * <pre>IndexScaleBenchmark &lt;dataDir&gt; &lt;out.jsonl&gt; &lt;size&gt; &lt;none|int7|int4&gt; &lt;efs&gt; [M] [efConstruction] [maxSegmentMb] [mergeWorkers] [searchThreads]</pre>
 *
 * With {@code -Dindex.dir=DIR} the index is kept in DIR after the run, and a later run with the
 * same DIR opens it instead of building it again (a 1M build takes most of an hour): another ef
 * sweep costs minutes. {@code -Derase=false} leaves out the erasure measurement (it deletes ten
 * entries from the kept index). {@code -Dquery.threads=N} also sends the queries from N threads at
 * once after each ef's one-thread pass (QPS, p50/p99), as concurrent requests would.
 */
public final class IndexScaleBenchmark {
    private static final int K = 10;
    private static final int CHUNK = 2000;
    private static final int WARMUP = 50;
    private static final int ERASURES = 10;

    private IndexScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int size = Integer.parseInt(args[2]);
        Quantization quantization = Quantization.parse(args[3]);
        int[] efs = Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
        int m = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        int efConstruction = args.length > 6 ? Integer.parseInt(args[6]) : 100;
        double maxSegmentMb = args.length > 7 ? Double.parseDouble(args[7]) : IndexOptions.DEFAULTS.maxSegmentMb();
        int mergeWorkers = args.length > 8 ? Integer.parseInt(args[8]) : 1;
        int searchThreads = args.length > 9 ? Integer.parseInt(args[9]) : 1;
        String keptDir = System.getProperty("index.dir");
        boolean erase = Boolean.parseBoolean(System.getProperty("erase", "true"));
        int queryThreads = Integer.getInteger("query.threads", 1);

        Path galleryFile = data.resolve("gallery-" + size + ".f32");
        float[][] queries = VectorFile.readAll(data.resolve("queries-" + size + ".f32"), Integer.MAX_VALUE);
        int[][] truth = readTruth(data.resolve("truth-" + size + ".i32"));
        int dim = queries[0].length;
        // the service's defaults except what is measured: HNSW always (no exact threshold), and
        // erasures never purged synchronously or by the timer, so the purge is timed here
        IndexOptions options = IndexOptions.DEFAULTS.withExactThreshold(0).withHnsw(m, efConstruction)
                .withQuantization(quantization).withMaxSegmentMb(maxSegmentMb).withErasure(0, Duration.ofDays(1))
                .withMergeWorkers(mergeWorkers).withSearchThreads(searchThreads);
        String impl = "lucene-" + quantization;
        Path dir = keptDir != null ? Path.of(keptDir) : Files.createTempDirectory(data, "index-" + impl + "-");
        boolean reuse = false;
        if (keptDir != null && Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                reuse = files.findAny().isPresent();
            }
        }
        long rssBefore = status("VmRSS");
        long opening = System.nanoTime();

        try (LuceneVectorIndex index = LuceneVectorIndex.open(dir, dim, options);
             PrintWriter json = new PrintWriter(Files.newBufferedWriter(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            String common = String.format(Locale.ROOT,
                    "\"side\":\"java\",\"impl\":\"%s\",\"dim\":%d,\"size\":%d,\"M\":%d,\"efConstruction\":%d,\"search_threads\":%d",
                    impl, dim, size, m, efConstruction, searchThreads);
            if (reuse) {
                double openS = (System.nanoTime() - opening) / 1e9; // checksums of every file included
                System.gc();
                json.printf(Locale.ROOT, "{%s,\"kind\":\"reopen\",\"open_s\":%.2f,\"dir\":\"%s\",\"entries\":%d,\"segments\":%d,\"disk_bytes_per_entry\":%.0f,"
                                + "\"heap_after_gc_mb\":%.1f,\"rss_mb\":%.1f}%n", common, openS, dir, index.size(), index.segmentCount(),
                        directoryBytes(dir) / (double) size, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6,
                        status("VmRSS") / 1e6);
                json.flush();
                System.out.printf("%s dim=%d n=%d: reopened %s in %.2f s, %d entries, %d segments%n", impl, dim, size, dir,
                        openS, index.size(), index.segmentCount());
            } else {
                long t0 = System.nanoTime();
                List<IndexedVector> chunk = new ArrayList<>(CHUNK);
                VectorFile.readRows(galleryFile, size, (row, v) -> {
                    chunk.add(entry(row, v.clone()));
                    if (chunk.size() == CHUNK) {
                        index.add(chunk);
                        chunk.clear();
                    }
                });
                if (!chunk.isEmpty()) {
                    index.add(chunk);
                }
                index.commit();
                index.awaitMerges();
                double loadS = (System.nanoTime() - t0) / 1e9;
                int loadedSegments = index.segmentCount();
                index.compact();
                double buildS = (System.nanoTime() - t0) / 1e9;
                long disk = directoryBytes(dir);
                int segments = index.segmentCount();
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                json.printf(Locale.ROOT, "{%s,\"kind\":\"build\",\"merge_workers\":%d,\"load_s\":%.1f,\"segments_loaded\":%d,\"build_s\":%.1f,\"segments\":%d,\"disk_bytes_per_entry\":%.0f,"
                                + "\"heap_after_gc_mb\":%.1f,\"rss_mb\":%.1f,\"rss_anon_mb\":%.1f,\"rss_file_mb\":%.1f,\"rss_before_mb\":%.1f}%n",
                        common, mergeWorkers, loadS, loadedSegments, buildS, segments, disk / (double) size, heap / 1e6, status("VmRSS") / 1e6,
                        status("RssAnon") / 1e6, status("RssFile") / 1e6, rssBefore / 1e6);
                json.flush();
                System.out.printf("%s dim=%d n=%d: built in %.1f s, %d segments, %.0f B/entry on disk, heap %.0f MB, RSS %.0f MB%n",
                        impl, dim, size, buildS, segments, disk / (double) size, heap / 1e6, status("VmRSS") / 1e6);
            }

            for (int ef : efs) {
                for (int i = 0; i < WARMUP; i++) {
                    index.searchHnsw(queries[i % queries.length], K, SearchFilter.NONE, ef);
                }
                long[] lat = new long[queries.length];
                int found = 0;
                for (int q = 0; q < queries.length; q++) {
                    long s = System.nanoTime();
                    List<IndexHit> hits = index.searchHnsw(queries[q], K, SearchFilter.NONE, ef);
                    lat[q] = System.nanoTime() - s;
                    found += overlap(hits, truth[q]);
                }
                double recall = found / (double) (K * queries.length);
                json.printf(Locale.ROOT, "{%s,\"kind\":\"search\",\"ef\":%d,\"queries\":%d,\"recall10\":%.4f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                                + "\"rss_mb\":%.1f}%n", common, ef, queries.length, recall, pct(lat, 50), pct(lat, 99), status("VmRSS") / 1e6);
                json.flush();
                System.out.printf("  ef=%d recall@10 %.4f p50 %.3f ms p99 %.3f ms%n", ef, recall, pct(lat, 50), pct(lat, 99));
                if (queryThreads > 1) {
                    concurrent(index, queries, ef, queryThreads, json, common);
                }
            }

            if (erase) {
                erase(index, galleryFile, size, queries, options.efSearch(), json, common);
            }
        } finally {
            if (keptDir == null) {
                deleteRecursively(dir);
            }
        }
    }

    /** The queries from {@code threads} threads at once, each taking the next query, 3 passes: QPS and latency. */
    private static void concurrent(LuceneVectorIndex index, float[][] queries, int ef, int threads, PrintWriter json,
                                   String common) throws InterruptedException {
        int total = 3 * queries.length;
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        long[] lat = new long[total];
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long s = System.nanoTime();
                    index.searchHnsw(queries[i % queries.length], K, SearchFilter.NONE, ef);
                    lat[i] = System.nanoTime() - s;
                }
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        double qps = total / ((System.nanoTime() - t0) / 1e9);
        json.printf(Locale.ROOT, "{%s,\"kind\":\"search_concurrent\",\"ef\":%d,\"query_threads\":%d,\"queries\":%d,\"qps\":%.1f,"
                + "\"p50_ms\":%.3f,\"p99_ms\":%.3f}%n", common, ef, threads, total, qps, pct(lat, 50), pct(lat, 99));
        json.flush();
        System.out.printf("  ef=%d, %d query threads: %.1f QPS, p50 %.3f ms p99 %.3f ms%n", ef, threads, qps, pct(lat, 50), pct(lat, 99));
    }

    /**
     * Deletes {@link #ERASURES} random entries one at a time (each checked absent from answers at
     * once), then purges them from disk while another thread searches, and times both.
     */
    private static void erase(LuceneVectorIndex index, Path galleryFile, int size, float[][] queries, int ef,
                              PrintWriter json, String common) throws Exception {
        SplittableRandom random = new SplittableRandom(99);
        Set<Integer> rows = new HashSet<>();
        while (rows.size() < ERASURES) {
            rows.add(random.nextInt(size));
        }
        float[][] victims = new float[size][];
        VectorFile.readRows(galleryFile, size, (row, v) -> {
            if (rows.contains(row)) {
                victims[row] = v.clone();
            }
        });
        long[] deleteNs = new long[ERASURES];
        int i = 0;
        for (int row : rows) {
            long id = row + 1L;
            long s = System.nanoTime();
            index.delete(List.of(id));
            deleteNs[i++] = System.nanoTime() - s;
            boolean visible = index.searchHnsw(victims[row], K, SearchFilter.NONE, ef).stream().anyMatch(h -> h.entryId() == id)
                    || index.vector(id).isPresent();
            if (visible) {
                throw new IllegalStateException("entry " + id + " still answered after delete returned");
            }
        }
        // searches during the purge, one thread, as a query arriving meanwhile would see them
        AtomicBoolean purging = new AtomicBoolean(true);
        List<Long> during = new ArrayList<>();
        Thread searcher = new Thread(() -> {
            int q = 0;
            while (purging.get()) {
                long s = System.nanoTime();
                index.searchHnsw(queries[q++ % queries.length], K, SearchFilter.NONE, ef);
                during.add(System.nanoTime() - s);
            }
        });
        searcher.start();
        long s = System.nanoTime();
        long rewritten = index.purgeDeleted();
        double purgeS = (System.nanoTime() - s) / 1e9;
        purging.set(false);
        searcher.join();
        long[] lat = during.stream().mapToLong(Long::longValue).toArray();
        json.printf(Locale.ROOT, "{%s,\"kind\":\"erase\",\"erasures\":%d,\"delete_visible_p50_ms\":%.2f,\"delete_visible_max_ms\":%.2f,"
                        + "\"purge_s\":%.1f,\"purge_rewrote_entries\":%d,\"segments_after\":%d,\"search_during_purge_p50_ms\":%.3f,"
                        + "\"search_during_purge_p99_ms\":%.3f,\"searches_during_purge\":%d}%n",
                common, ERASURES, pct(deleteNs, 50), pct(deleteNs, 100), purgeS, rewritten, index.segmentCount(),
                pct(lat, 50), pct(lat, 99), lat.length);
        json.flush();
        System.out.printf("  erase: delete (invisible) p50 %.2f ms max %.2f ms; purge from disk %.1f s (rewrote %d entries), "
                + "search meanwhile p50 %.2f p99 %.2f ms%n", pct(deleteNs, 50), pct(deleteNs, 100), purgeS, rewritten, pct(lat, 50), pct(lat, 99));
    }

    /** Entry id = row + 1; eight cameras; capture time = row (filters are not measured here). */
    private static IndexedVector entry(int row, float[] v) {
        return new IndexedVector(row + 1L, row + 1L, row % 8, row, v);
    }

    private static int overlap(List<IndexHit> hits, int[] truthRows) {
        int n = 0;
        for (IndexHit h : hits) {
            long row = h.entryId() - 1;
            for (int t : truthRows) {
                if (t == row) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    private static int[][] readTruth(Path path) throws IOException {
        int[] shape = VectorFile.shape(path);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(path)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.position(8);
        int[][] truth = new int[shape[0]][shape[1]];
        for (int[] row : truth) {
            for (int j = 0; j < row.length; j++) {
                row[j] = b.getInt();
            }
        }
        return truth;
    }

    private static double pct(long[] nanos, int p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** A field of /proc/self/status in bytes (e.g. VmRSS, RssAnon, RssFile). */
    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long sum = 0;
            for (Path f : files.toList()) {
                sum += Files.size(f);
            }
            return sum;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
