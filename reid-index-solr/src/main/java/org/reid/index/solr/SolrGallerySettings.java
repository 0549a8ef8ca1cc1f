package org.reid.index.solr;

import java.time.Duration;

/**
 * How the gallery lives on SolrCloud. Segments and erasure follow the embedded index's settings
 * ({@code org.reid.index.IndexOptions}): few large segments, so a search visits few graphs, and
 * erased vectors purged from the files at once when that is cheap, else within a window.
 *
 * @param name                the alias that names the active model version's collection; each
 *                            version's collection is {@code <name>-model-<id>}
 * @param shards              shards per collection (each holds a part of the gallery and is searched in parallel)
 * @param replicas            copies of each shard (2 or more: a node can stop and searches go on)
 * @param hnswMaxConn         HNSW graph degree (M)
 * @param hnswBeamWidth       HNSW candidate list size while building (efConstruction)
 * @param efSearch            HNSW candidates each shard gathers per search; at least {@code k} are always used
 * @param maxSegmentMb        Solr's merges build segments up to this size (the merge policy's
 *                            {@code maxMergedSegmentMB}); a purge rewrites whole segments
 * @param syncEraseMaxEntries an erasure in a collection of at most this many entries per shard is
 *                            purged from the files before it returns
 * @param erasureWindow       larger erasures are purged by a background run this often (zero: always at once)
 */
public record SolrGallerySettings(String name, int shards, int replicas, int hnswMaxConn, int hnswBeamWidth,
                                  int efSearch, double maxSegmentMb, int syncEraseMaxEntries, Duration erasureWindow) {

    /**
     * Two shards of two copies, HNSW and segments as the embedded index: M=16, efConstruction=100,
     * efSearch=100, segments up to 1 GB, erasures in shards of up to 20,000 entries purged at once,
     * larger ones every 10 minutes.
     */
    public static SolrGallerySettings defaults(String name) {
        return new SolrGallerySettings(name, 2, 2, 16, 100, 100, 1024, 20_000, Duration.ofMinutes(10));
    }

    public SolrGallerySettings {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,40}")) {
            throw new IllegalArgumentException("gallery name must be 1-41 of [a-z0-9_-], was " + name);
        }
        if (shards < 1 || replicas < 1 || hnswMaxConn < 2 || hnswBeamWidth < 2 || efSearch < 1 || !(maxSegmentMb >= 1)
                || syncEraseMaxEntries < 0 || erasureWindow == null || erasureWindow.isNegative()) {
            throw new IllegalArgumentException("invalid Solr gallery settings: shards=" + shards + " replicas="
                    + replicas + " M=" + hnswMaxConn + " beamWidth=" + hnswBeamWidth + " efSearch=" + efSearch
                    + " maxSegmentMb=" + maxSegmentMb + " (at least 1) syncEraseMaxEntries=" + syncEraseMaxEntries
                    + " erasureWindow=" + erasureWindow);
        }
    }

    public SolrGallerySettings withShards(int n) {
        return new SolrGallerySettings(name, n, replicas, hnswMaxConn, hnswBeamWidth, efSearch, maxSegmentMb,
                syncEraseMaxEntries, erasureWindow);
    }

    public SolrGallerySettings withReplicas(int n) {
        return new SolrGallerySettings(name, shards, n, hnswMaxConn, hnswBeamWidth, efSearch, maxSegmentMb,
                syncEraseMaxEntries, erasureWindow);
    }

    public SolrGallerySettings withHnsw(int m, int beamWidth) {
        return new SolrGallerySettings(name, shards, replicas, m, beamWidth, efSearch, maxSegmentMb,
                syncEraseMaxEntries, erasureWindow);
    }

    public SolrGallerySettings withEfSearch(int ef) {
        return new SolrGallerySettings(name, shards, replicas, hnswMaxConn, hnswBeamWidth, ef, maxSegmentMb,
                syncEraseMaxEntries, erasureWindow);
    }

    public SolrGallerySettings withMaxSegmentMb(double mb) {
        return new SolrGallerySettings(name, shards, replicas, hnswMaxConn, hnswBeamWidth, efSearch, mb,
                syncEraseMaxEntries, erasureWindow);
    }

    public SolrGallerySettings withErasure(int syncMaxEntries, Duration window) {
        return new SolrGallerySettings(name, shards, replicas, hnswMaxConn, hnswBeamWidth, efSearch, maxSegmentMb,
                syncMaxEntries, window);
    }
}
