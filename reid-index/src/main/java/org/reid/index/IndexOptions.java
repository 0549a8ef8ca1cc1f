package org.reid.index;

/**
 * How a {@link LuceneVectorIndex} searches and builds.
 *
 * @param exactThreshold  below this many entries (or entries passing a filter) search is exact
 * @param hnswMaxConn     HNSW graph degree (M)
 * @param hnswBeamWidth   HNSW candidate list size while building (efConstruction)
 * @param efSearch        HNSW candidates gathered per search; at least {@code k} are always used
 * @param scalarQuantized store int7 quantised vectors for the graph (smaller, a little less recall)
 * @param ramBufferMb     Lucene's indexing buffer; larger means fewer, bigger segments (faster HNSW search)
 */
public record IndexOptions(int exactThreshold, int hnswMaxConn, int hnswBeamWidth, int efSearch,
                           boolean scalarQuantized, double ramBufferMb) {

    /** Exact up to 20k entries (about 2 ms a query with SIMD), HNSW M=16, efConstruction=100, efSearch=100. */
    public static final IndexOptions DEFAULTS = new IndexOptions(20_000, 16, 100, 100, false, 64);

    public IndexOptions {
        if (exactThreshold < 0 || hnswMaxConn < 2 || hnswBeamWidth < 2 || efSearch < 1 || ramBufferMb <= 0) {
            throw new IllegalArgumentException("invalid index options: exactThreshold=" + exactThreshold
                    + " M=" + hnswMaxConn + " beamWidth=" + hnswBeamWidth + " efSearch=" + efSearch
                    + " ramBufferMb=" + ramBufferMb);
        }
    }

    public IndexOptions withExactThreshold(int threshold) {
        return new IndexOptions(threshold, hnswMaxConn, hnswBeamWidth, efSearch, scalarQuantized, ramBufferMb);
    }

    public IndexOptions withEfSearch(int ef) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, ef, scalarQuantized, ramBufferMb);
    }

    public IndexOptions withHnsw(int maxConn, int beamWidth) {
        return new IndexOptions(exactThreshold, maxConn, beamWidth, efSearch, scalarQuantized, ramBufferMb);
    }

    public IndexOptions withScalarQuantized(boolean quantized) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, quantized, ramBufferMb);
    }

    public IndexOptions withRamBufferMb(double mb) {
        return new IndexOptions(exactThreshold, hnswMaxConn, hnswBeamWidth, efSearch, scalarQuantized, mb);
    }
}
