package org.reid.index;

import java.io.Closeable;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The gallery's vector index for one model version, on local disk. PostgreSQL is the source of
 * truth; the index can always be rebuilt from it. Thread-safe: searches run concurrently with
 * additions and deletions.
 */
public interface VectorIndex extends Closeable {

    /** Embedding size this index was created for. */
    int dimension();

    /** Adds (or replaces, by entry id) vectors; they are searchable when this returns. */
    void add(List<IndexedVector> vectors);

    /**
     * Removes entries. When this returns they are gone from search results and from the files on
     * disk (erasure), not merely marked deleted.
     */
    void delete(Collection<Long> entryIds);

    /** Removes everything. */
    void clear();

    /**
     * The {@code k} entries most similar to {@code query} (raw embedding; normalised here) that
     * pass {@code filter}, best first. Exact below the configured size threshold, HNSW above it.
     */
    List<IndexHit> search(float[] query, int k, SearchFilter filter);

    /** The stored (normalised) vector of an entry, for re-ranking. */
    Optional<float[]> vector(long entryId);

    /** The entry ids the index holds (a copy), to reconcile it with PostgreSQL. */
    java.util.Set<Long> entryIds();

    /** Number of entries. */
    int size();

    /** Makes everything added so far durable on disk. */
    void commit();
}
