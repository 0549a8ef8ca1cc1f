package org.reid.index.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.reid.index.ClusteredVectors;
import org.reid.index.DotProducts;
import org.reid.index.FlatVectorStore;
import org.reid.index.IndexHit;
import org.reid.index.IndexOptions;
import org.reid.index.IndexedVector;
import org.reid.index.LuceneVectorIndex;
import org.reid.index.SearchFilter;
import org.reid.index.UnitVectors;
import org.reid.index.VectorIndex;

/**
 * The same queries against the embedded index and the SolrCloud backend with 1, 2 and 4 shards
 * (one replica, one Solr node in this JVM, reached over HTTP on loopback), each shaped as the
 * service leaves it after a rebuild: filled in chunks, then compacted into segments of at most
 * {@code max-segment-mb} (the embedded index with the service's default options, int7). Build
 * time, one-thread latency p50/p99, QPS and recall@10 against exact search at each efSearch (per
 * shard for Solr), for Solr as filled and after the compaction. Not a test (run by {@code
 * benchmarks/engine-search.sh}).
 *
 * <p>Usage: {@code EngineSearchBenchmark <size> <dim> <queries> <shards,...> [ef,...]}; prints one
 * markdown table row per backend and efSearch.
 */
public final class EngineSearchBenchmark {
    private static final int K = 10;
    private static final int CHUNK = 2000;

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        int dim = Integer.parseInt(args[1]);
        int queries = Integer.parseInt(args[2]);
        int[] shardCounts = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] efs = Arrays.stream((args.length > 4 ? args[4] : "100").split(",")).mapToInt(Integer::parseInt).toArray();
        // about 12.5 crops per identity: enough identities for the size
        ClusteredVectors data = new ClusteredVectors(dim, Math.max(1, size * 2 / 25), 8, 42).withQueries(queries);
        List<IndexedVector> gallery = data.gallery.subList(0, Math.min(size, data.gallery.size()));
        System.out.printf(Locale.ROOT, "gallery %d x %d-d, %d queries, k=%d, efSearch %s, M=16, efConstruction=100%n",
                gallery.size(), dim, queries, K, Arrays.toString(efs));
        System.out.println("| backend | build s | index B/entry | efSearch | p50 ms | p99 ms | QPS (1 thread) | recall@10 |");
        System.out.println("|---|---|---|---|---|---|---|---|");

        Path work = Files.createTempDirectory("engine-bench");
        List<Set<Long>> truth = new ArrayList<>();
        if (Boolean.parseBoolean(System.getProperty("embedded", "true"))) {
            Path embeddedDir = work.resolve("embedded");
            try (LuceneVectorIndex embedded = LuceneVectorIndex.open(embeddedDir, dim, IndexOptions.DEFAULTS.withExactThreshold(0))) {
                long t0 = System.nanoTime();
                addInChunks(embedded, gallery);
                embedded.compact();
                double build = (System.nanoTime() - t0) / 1e9;
                for (float[] q : data.queries) {
                    truth.add(ids(embedded.searchExact(q, K, SearchFilter.NONE)));
                }
                long bytes = bytes(embeddedDir) / gallery.size();
                for (int ef : efs) {
                    report("embedded (Lucene HNSW int7, " + embedded.segmentCount() + " segments)", build, bytes, ef,
                            q -> embedded.searchHnsw(q, K, SearchFilter.NONE, ef), data.queries, truth);
                }
            }
        } else { // -Dembedded=false: Solr only, against the project's exact search in memory
            FlatVectorStore exact = new FlatVectorStore(dim, DotProducts.best());
            for (IndexedVector v : gallery) {
                exact.put(v.entryId(), v.identityId(), v.cameraId(), v.capturedAtMillis(), UnitVectors.unit(v.vector(), dim, "vector"));
            }
            for (float[] q : data.queries) {
                truth.add(ids(exact.search(UnitVectors.unit(q, dim, "query"), K, SearchFilter.NONE)));
            }
        }

        MiniSolrCloudCluster cluster = new MiniSolrCloudCluster(1, work.resolve("solr"), JettyConfig.builder().build());
        try {
            List<String> urls = cluster.getJettySolrRunners().stream().map(j -> j.getBaseUrl().toString()).toList();
            for (int shards : shardCounts) {
                long t0 = System.nanoTime();
                double build = 0;
                for (int e = 0; e < efs.length; e++) {
                    // one client per efSearch (a setting of the gallery); the collection is filled once
                    try (SolrGallery solr = SolrGallery.connect(urls,
                            SolrGallerySettings.defaults("bench").withShards(shards).withReplicas(1).withEfSearch(efs[e]))) {
                        SolrVectorIndex index = solr.open(shards, dim);
                        String name = "Solr, " + shards + " shard" + (shards > 1 ? "s" : "");
                        if (e == 0) {
                            addInChunks(index, gallery);
                            index.commit();
                            build = (System.nanoTime() - t0) / 1e9;
                            report(name + ", as filled (" + segments(cluster, index) + " segments)", build,
                                    bytes(cluster, index) / gallery.size(), efs[e], q -> index.search(q, K, SearchFilter.NONE),
                                    data.queries, truth);
                            // as the service leaves it after a refill (SolrGalleryIndexes); a merge that
                            // outlasts the client's timeout goes on in Solr: wait for it as the service would
                            int target = index.compactedSegments();
                            try {
                                index.mergeSegments(target);
                            } catch (java.io.UncheckedIOException timedOut) {
                                System.out.println("gallery: the merge outlasted the client's timeout; waiting for Solr");
                                while (segments(cluster, index) > target * shards) {
                                    Thread.sleep(10_000);
                                }
                            }
                            build = (System.nanoTime() - t0) / 1e9;
                        }
                        report(name + ", compacted (" + segments(cluster, index) + " segments)", build,
                                bytes(cluster, index) / gallery.size(), efs[e], q -> index.search(q, K, SearchFilter.NONE),
                                data.queries, truth);
                        if (e == efs.length - 1) {
                            solr.drop(shards);
                        }
                    }
                }
            }
        } finally {
            cluster.shutdown();
        }
    }

    private static long bytes(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Bytes of the collection's index directories (transaction logs aside) on the node. */
    private static long bytes(MiniSolrCloudCluster cluster, SolrVectorIndex index) throws java.io.IOException {
        long n = 0;
        for (var jetty : cluster.getJettySolrRunners()) {
            for (var core : jetty.getCoreContainer().getCores()) {
                if (index.collection().equals(core.getCoreDescriptor().getCollectionName())) {
                    n += bytes(Path.of(core.getIndexDir()));
                }
            }
        }
        return n;
    }

    /** Segments over all shards of the collection (one node holds them all here). */
    private static int segments(MiniSolrCloudCluster cluster, SolrVectorIndex index) throws java.io.IOException {
        int n = 0;
        for (var jetty : cluster.getJettySolrRunners()) {
            for (var core : jetty.getCoreContainer().getCores()) {
                if (index.collection().equals(core.getCoreDescriptor().getCollectionName())) {
                    n += core.withSearcher(s -> s.getIndexReader().leaves().size());
                }
            }
        }
        return n;
    }

    private static void addInChunks(VectorIndex index, List<IndexedVector> gallery) {
        for (int i = 0; i < gallery.size(); i += CHUNK) {
            index.add(gallery.subList(i, Math.min(gallery.size(), i + CHUNK)));
        }
    }

    private static void report(String backend, double buildSeconds, long bytesPerEntry, int ef,
                               Function<float[], List<IndexHit>> search, List<float[]> queries, List<Set<Long>> truth) {
        for (int i = 0; i < Math.min(100, queries.size()); i++) {
            search.apply(queries.get(i)); // warm-up
        }
        long[] nanos = new long[queries.size()];
        double found = 0;
        long start = System.nanoTime();
        for (int i = 0; i < queries.size(); i++) {
            long t0 = System.nanoTime();
            List<IndexHit> hits = search.apply(queries.get(i));
            nanos[i] = System.nanoTime() - t0;
            for (IndexHit h : hits) {
                if (truth.get(i).contains(h.entryId())) {
                    found++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %d | %d | %.2f | %.2f | %.0f | %.4f |%n", backend, buildSeconds,
                bytesPerEntry, ef,
                nanos[nanos.length / 2] / 1e6, nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e6,
                queries.size() / seconds, found / (K * (double) queries.size()));
    }

    private static Set<Long> ids(List<IndexHit> hits) {
        Set<Long> ids = new HashSet<>();
        hits.forEach(h -> ids.add(h.entryId()));
        return ids;
    }
}
