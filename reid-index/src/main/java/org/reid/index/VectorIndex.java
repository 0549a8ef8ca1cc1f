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
     * Adds as {@link #add} does, for a bulk load: searchable within the index's refresh interval,
     * and once {@link #commit} returns; reads other than searches see them at once. An index
     * without such an interval makes them searchable at once.
     */
    default void addBuffered(List<IndexedVector> vectors) {
        add(vectors);
    }

    /**
     * Adds as {@link #addBuffered(List)} does, carrying the {@link #checkpoint} forward: when it is
     * {@code from} as this begins, it is {@code to} after, and it is committed with the next
     * {@link #commit}. The caller vouches that these additions are all that changed between the two
     * (the service: the one PostgreSQL transaction that raised the embeddings' generation from
     * {@code from} to {@code to}). With any other checkpoint, or none, there is none after, as after
     * any change. An index that keeps no checkpoint just adds.
     */
    default void addBuffered(List<IndexedVector> vectors, long from, long to) {
        addBuffered(vectors);
    }

    /**
     * Removes entries (erasure). When this returns they are in no search result and no
     * {@link #vector} lookup, and the removal is durable. Their vectors leave the files on disk
     * within the implementation's documented erasure window, not merely marked deleted
     * ({@link LuceneVectorIndex}: before this returns when the segments holding them are small,
     * else by a background purge within {@link IndexOptions#erasureWindow()} plus at most two purges).
     */
    void delete(Collection<Long> entryIds);

    /** Removes everything. */
    void clear();

    /**
     * How long the oldest erasure whose vectors may still be in the index files has waited for its
     * purge ({@link #delete}); zero when none waits, or when the index purges every erasure at once.
     */
    default java.time.Duration pendingErasureAge() {
        return java.time.Duration.ZERO;
    }

    /**
     * The {@code k} entries most similar to {@code query} (raw embedding; normalised here) that
     * pass {@code filter}, best first. Exact below the configured size threshold, HNSW above it.
     */
    List<IndexHit> search(float[] query, int k, SearchFilter filter);

    /** The stored (normalised) vector of an entry, for re-ranking. */
    Optional<float[]> vector(long entryId);

    /** The entry ids the index holds (a copy), to reconcile it with PostgreSQL. */
    java.util.Set<Long> entryIds();

    /** Number of entries searches see now (buffered additions of the last refresh interval may be missing). */
    int size();

    /** Makes everything added so far durable on disk, and searchable. */
    void commit();

    /**
     * A stamp of this index's content: it changes with every {@link #add}, {@link #delete} and
     * {@link #clear} (not with commits, merges or purges); -1 when the index does not track it (and
     * then keeps no {@link #checkpoint}).
     */
    default long changeStamp() {
        return -1;
    }

    /**
     * The checkpoint last recorded by {@link #commitCheckpoint}, as long as the content has not
     * changed since (also across a restart: it is stored with the commit); empty otherwise. The
     * caller gives it its meaning (the service: the generation of PostgreSQL's embeddings that this
     * index was found equal to).
     */
    default java.util.OptionalLong checkpoint() {
        return java.util.OptionalLong.empty();
    }

    /**
     * Records {@code checkpoint} and commits, provided the content has not changed since
     * {@link #changeStamp()} returned {@code stamp}; returns whether it did. The next change forgets it.
     */
    default boolean commitCheckpoint(long checkpoint, long stamp) {
        return false;
    }
}
