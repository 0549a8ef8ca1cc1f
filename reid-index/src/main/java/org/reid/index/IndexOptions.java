package org.reid.index;

import java.time.Duration;

/**
 * How a {@link LuceneVectorIndex} searches, builds, merges and erases.
 *
 * @param exactThreshold     below this many entries search is exact (a scan of the vectors on disk)
 * @param hnswMaxConn        HNSW graph degree (M)
 * @param hnswBeamWidth      HNSW candidate list size while building (efConstruction)
 * @param efSearch           HNSW candidates gathered per search; at least {@code k} are always used
 * @param quantization       how the graph stores vectors; quantised candidates are re-scored exactly
 * @param ramBufferMb        Lucene's indexing buffer: the size of a freshly flushed segment
 * @param maxSegmentMb       background merges build segments up to this size: fewer, larger
 *                           segments search faster (one graph each), but purging an erased vector
 *                           rewrites the whole segment holding it (rebuilding its graph)
 * @param syncEraseMaxDocs   an erasure whose segments hold at most this many entries is purged
 *                           from disk before {@code delete} returns; larger ones are purged in the background
 * @param erasureWindow      background purges run this often (when anything was erased meanwhile), so an
 *                           erased vector leaves disk within this window plus at most two purges (one running when it was erased, then its own);
 *                           zero purges every erasure before {@code delete} returns, whatever it costs
 * @param mergeWorkers       threads that build one merged segment's HNSW graph together (Lucene's
 *                           concurrent graph merge): merges, compaction and purges rewrite graphs,
 *                           so this shortens them, taking as many cores from searches meanwhile
 * @param searchThreads      threads one search uses to walk the segments' graphs at once (Lucene's
 *                           searcher executor); 1 walks them one after another on the caller's thread
 * @param graphMinEntries    segments (flushed or merged) of fewer entries get no HNSW graph: a search
 *                           scans them, which costs about what walking their graph would, and
 *                           ingestion does not build a graph per merge tier for them; 0 or 1 builds
 *                           one for every segment (int4 always does: Lucene's own format)
 * @param bulkRefreshInterval additions made with {@link VectorIndex#addBuffered} become searchable
 *                           within this (and at the next commit or non-search read); zero makes
 *                           each one searchable at once, like {@link VectorIndex#add}
 */
public record IndexOptions(int exactThreshold, int hnswMaxConn, int hnswBeamWidth, int efSearch,
                           Quantization quantization, double ramBufferMb, double maxSegmentMb,
                           int syncEraseMaxDocs, Duration erasureWindow, int mergeWorkers, int searchThreads,
                           int graphMinEntries, Duration bulkRefreshInterval) {

    /**
     * Exact up to 20k entries, HNSW M=16, efConstruction=100, efSearch=100, graphs for segments of
     * 10k entries or more, int7 graph vectors
     * (re-scored: recall@10 0.9989 against float's 1.0000 at 100k x 256-d, a 3.5x smaller working
     * set for the graph walk; docs/benchmarks-scale.md), segments up to 1 GB, erasures of up to 20k
     * entries' segments purged at once, others within 10 minutes; one thread per merge and per search.
     */
    /**
     * Below this many entries a segment gets no graph. Measured on one segment (efSearch=100, int7,
     * docs/benchmarks-scale.md): its scan was as fast as its graph walk up to 16k entries at 256-d
     * and between 16k and 32k at 512-d, and exact, at a fifth to a seventh of the build CPU. Set
     * below that crossover, as ingestion's merge tiers (128, 1,280, 12,800 entries) leave up to
     * nine graphless segments of each smaller tier beside the graph ones.
     */
    public static final int GRAPH_MIN_ENTRIES = 10_000;

    /**
     * How stale a search may be during a bulk load. A refresh flushes the buffered additions into
     * a segment: refreshing at every 128-crop ingestion chunk made a segment of each, and merges to
     * undo them (docs/benchmarks-service.md); a search that refreshed itself paid the flush.
     */
    public static final Duration BULK_REFRESH_INTERVAL = Duration.ofSeconds(1);

    public static final IndexOptions DEFAULTS = new IndexOptions(20_000, 16, 100, 100, Quantization.INT7, 64,
            1024, 20_000, Duration.ofMinutes(10), 1, 1, GRAPH_MIN_ENTRIES, BULK_REFRESH_INTERVAL);

    public IndexOptions {
        if (exactThreshold < 0 || hnswMaxConn < 2 || hnswMaxConn > 512 || hnswBeamWidth < 2 || hnswBeamWidth > 3200
                || efSearch < 1 || ramBufferMb <= 0 || maxSegmentMb <= 0 || syncEraseMaxDocs < 0
                || quantization == null || erasureWindow == null || erasureWindow.isNegative()
                || mergeWorkers < 1 || mergeWorkers > 64 || searchThreads < 1 || searchThreads > 64 || graphMinEntries < 0
                || bulkRefreshInterval == null || bulkRefreshInterval.isNegative()) {
            throw new IllegalArgumentException("invalid index options: exactThreshold=" + exactThreshold
                    + " M=" + hnswMaxConn + " (2..512) efConstruction=" + hnswBeamWidth + " (2..3200) efSearch=" + efSearch
                    + " quantization=" + quantization + " ramBufferMb=" + ramBufferMb + " maxSegmentMb=" + maxSegmentMb
                    + " syncEraseMaxDocs=" + syncEraseMaxDocs + " erasureWindow=" + erasureWindow
                    + " mergeWorkers=" + mergeWorkers + " (1..64) searchThreads=" + searchThreads + " (1..64)"
                    + " graphMinEntries=" + graphMinEntries + " (0 or more) bulkRefreshInterval=" + bulkRefreshInterval);
        }
    }

    public IndexOptions withExactThreshold(int threshold) {
        return new IndexOptions(threshold, hnswMaxConn, hnswBeamWidth, efSearch, quantization, ramBufferMb,
                maxSegmentMb, syncEraseMaxDocs, erasureWindow, mergeWorkers, searchThreads, graphMinEntries, bulkRefreshInterval);
    }

    public IndexOptions withEfSearch(int ef) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, ef, quantization, ramBufferMb,
                maxSegmentMb, syncEraseMaxDocs, erasureWindow, mergeWorkers, searchThreads, graphMinEntries, bulkRefreshInterval);
    }

    public IndexOptions withHnsw(int maxConn, int beamWidth) {
        return new IndexOptions(exactThreshold, maxConn, beamWidth, efSearch, quantization, ramBufferMb,
                maxSegmentMb, syncEraseMaxDocs, erasureWindow, mergeWorkers, searchThreads, graphMinEntries, bulkRefreshInterval);
    }

    public IndexOptions withQuantization(Quantization q) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, q, ramBufferMb,
                maxSegmentMb, syncEraseMaxDocs, erasureWindow, mergeWorkers, searchThreads, graphMinEntries, bulkRefreshInterval);
    }

    public IndexOptions withRamBufferMb(double mb) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, quantization, mb,
                maxSegmentMb, syncEraseMaxDocs, erasureWindow, mergeWorkers, searchThreads, graphMinEntries, bulkRefreshInterval);
    }

    public IndexOptions withMaxSegmentMb(double mb) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, quantization, ramBufferMb,
                mb, syncEraseMaxDocs, erasureWindow, mergeWorkers, searchThreads, graphMinEntries, bulkRefreshInterval);
    }

    public IndexOptions withErasure(int syncMaxDocs, Duration window) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, quantization, ramBufferMb,
                maxSegmentMb, syncMaxDocs, window, mergeWorkers, searchThreads, graphMinEntries, bulkRefreshInterval);
    }

    public IndexOptions withMergeWorkers(int workers) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, quantization, ramBufferMb,
                maxSegmentMb, syncEraseMaxDocs, erasureWindow, workers, searchThreads, graphMinEntries, bulkRefreshInterval);
    }

    public IndexOptions withSearchThreads(int threads) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, quantization, ramBufferMb,
                maxSegmentMb, syncEraseMaxDocs, erasureWindow, mergeWorkers, threads, graphMinEntries, bulkRefreshInterval);
    }

    public IndexOptions withGraphMinEntries(int entries) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, quantization, ramBufferMb,
                maxSegmentMb, syncEraseMaxDocs, erasureWindow, mergeWorkers, searchThreads, entries, bulkRefreshInterval);
    }

    public IndexOptions withBulkRefreshInterval(Duration interval) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, quantization, ramBufferMb,
                maxSegmentMb, syncEraseMaxDocs, erasureWindow, mergeWorkers, searchThreads, graphMinEntries, interval);
    }
}
