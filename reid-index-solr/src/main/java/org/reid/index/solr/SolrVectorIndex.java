package org.reid.index.solr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.AbstractUpdateRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;
import org.reid.index.IndexHit;
import org.reid.index.IndexedVector;
import org.reid.index.SearchFilter;
import org.reid.index.UnitVectors;
import org.reid.index.VectorIndex;

/**
 * The gallery index of one model version as a SolrCloud collection: one document per entry (the
 * entry id is the document id) with a dense vector field searched by Solr's {@code knn} query
 * parser; camera and time filters are filter queries, which Solr applies as a pre-filter of the
 * kNN search. Every shard gathers {@code max(k, efSearch)} candidates and the coordinating node
 * keeps the best {@code k}, as the embedded index does across its segments.
 *
 * <p>Service replicas share the collection, so nothing is held here but the client and which of
 * this replica's erasures wait for a purge: every call is a request to the cluster. Thread-safe as
 * the client is.
 */
public final class SolrVectorIndex implements VectorIndex {
    /** A read fails only after this many tries (a node stopping mid-request, a replica going down). */
    private static final int READ_ATTEMPTS = 3;
    private static final long READ_RETRY_PAUSE_MS = 200;


    static final String ID = "id";
    static final String IDENTITY = "identity";
    static final String CAMERA = "camera";
    static final String CAPTURED_AT = "captured_at";
    static final String VECTOR = "vector";
    private static final String HIT_FIELDS = ID + "," + IDENTITY + "," + CAMERA + "," + CAPTURED_AT + ",score";
    private static final int PAGE = 10_000;
    /** A document id no entry has (entry ids are numbers). */
    private static final String NO_ENTRY = "none";

    /**
     * Index bytes per entry beyond the vector's 8 bytes per dimension (the HNSW field's floats and
     * the stored copy re-ranking reads): graph, ids, camera and time. Measured 2,480 B per entry at
     * 256-d (benchmarks/engine-search.sh); an estimate, to size segments before they are merged
     * (see {@link #compact}).
     */
    private static final int ENTRY_OVERHEAD_BYTES = 430;

    private final SolrClient client;
    private final String collection;
    private final int dimension;
    private final SolrGallerySettings settings;
    /** When the oldest of this replica's erasures not yet purged from the files was made; 0: none. */
    private long pendingSince;
    /** When this replica's latest erasure was made. */
    private long lastErasure;
    private final Object erasures = new Object();
    private final ReentrantLock purges = new ReentrantLock();

    SolrVectorIndex(SolrClient client, String collection, int dimension, SolrGallerySettings settings) {
        this.client = client;
        this.collection = collection;
        this.dimension = dimension;
        this.settings = settings;
    }

    /** The collection this index reads and writes. */
    public String collection() {
        return collection;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** Adds (or replaces) the documents and soft-commits, so they are searchable on every replica on return. */
    @Override
    public void add(List<IndexedVector> vectors) {
        if (vectors.isEmpty()) {
            return;
        }
        List<SolrInputDocument> docs = new ArrayList<>(vectors.size());
        for (IndexedVector v : vectors) {
            docs.add(document(v, UnitVectors.unit(v.vector(), dimension, "vector of entry " + v.entryId())));
        }
        UpdateRequest update = new UpdateRequest();
        update.add(docs);
        update.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true, true);
        send(update, "add to");
    }

    private static SolrInputDocument document(IndexedVector v, float[] unit) {
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField(ID, Long.toString(v.entryId()));
        doc.addField(IDENTITY, v.identityId());
        doc.addField(CAMERA, v.cameraId());
        doc.addField(CAPTURED_AT, v.capturedAtMillis());
        List<Float> values = new ArrayList<>(unit.length);
        for (float x : unit) {
            values.add(x);
        }
        doc.addField(VECTOR, values);
        return doc;
    }

    /**
     * Deletes, hard-commits (the entries are in no answer on any replica when this returns) and
     * rolls the transaction log: the erasure's commit closes the log that may still hold the added
     * documents, and Solr keeps the newest closed log (configset: {@code maxNumLogsToKeep} 1), so
     * one more logged update and commit replace it. The vectors then remain only in the segments
     * that held them, until a purge rewrites those: before this returns when a shard holds at most
     * {@link SolrGallerySettings#syncEraseMaxEntries()} entries (or the window is zero), else at
     * this replica's next background purge ({@link SolrGallery}, every
     * {@link SolrGallerySettings#erasureWindow()}), as the embedded index does.
     */
    @Override
    public void delete(Collection<Long> entryIds) {
        if (entryIds.isEmpty()) {
            return;
        }
        UpdateRequest erase = new UpdateRequest();
        erase.deleteById(entryIds.stream().map(String::valueOf).toList());
        erase.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true);
        send(erase, "delete from");
        synchronized (erasures) {
            lastErasure = System.nanoTime();
            if (pendingSince == 0) {
                pendingSince = lastErasure;
            }
        }
        rollTransactionLog();
        boolean purgeNow = settings.erasureWindow().isZero()
                || Math.ceil(size() / (double) settings.shards()) <= settings.syncEraseMaxEntries();
        // a purge already running (a large background one) is not waited for: these erasures are
        // invisible already and stay pending for the next background run, within the window
        if (purgeNow && purges.tryLock()) {
            try {
                purgeLocked();
            } finally {
                purges.unlock();
            }
        }
    }

    /**
     * Hard-commits with {@code expungeDeletes} on every replica: the merge policy rewrites each
     * segment that holds a deleted document (the cost is those segments' size: their HNSW graphs are
     * built again), so this replica's erased vectors are in no live segment's files, and the old
     * files go with the commit. Returns whether there was anything to purge.
     */
    public boolean purgeDeleted() {
        purges.lock();
        try {
            return purgeLocked();
        } finally {
            purges.unlock();
        }
    }

    private boolean purgeLocked() {
        long since;
        synchronized (erasures) {
            since = pendingSince;
        }
        if (since == 0) {
            return false;
        }
        long started = System.nanoTime();
        UpdateRequest purge = new UpdateRequest();
        purge.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true, 1, false, true);
        send(purge, "purge erased entries from");
        synchronized (erasures) {
            // erasures made while this ran may not be purged yet: they are at most this old
            pendingSince = lastErasure - started >= 0 ? started : 0;
        }
        return true;
    }

    /** How long this replica's oldest erasure not yet purged from the files has waited; zero when none waits. */
    @Override
    public java.time.Duration pendingErasureAge() {
        synchronized (erasures) {
            return pendingSince == 0 ? java.time.Duration.ZERO : java.time.Duration.ofNanos(System.nanoTime() - pendingSince);
        }
    }

    /** A logged no-op (deleting an id no entry has, on every shard) and a hard commit. */
    private void rollTransactionLog() {
        UpdateRequest roll = new UpdateRequest();
        roll.deleteByQuery(ID + ":" + NO_ENTRY);
        roll.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true);
        send(roll, "roll the transaction log of");
    }

    @Override
    public void clear() {
        UpdateRequest update = new UpdateRequest();
        update.deleteByQuery("*:*");
        update.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true, 1, false, true);
        send(update, "clear");
        rollTransactionLog();
    }

    @Override
    public List<IndexHit> search(float[] query, int k, SearchFilter filter) {
        float[] q = UnitVectors.unit(query, dimension, "query");
        if (k < 1) {
            return List.of();
        }
        SolrQuery solr = new SolrQuery(knn(q, Math.max(k, settings.efSearch())));
        solr.setFilterQueries(SolrFilters.of(filter == null ? SearchFilter.NONE : filter).toArray(String[]::new));
        solr.setRows(k);
        solr.setFields(HIT_FIELDS);
        // the hit fields are doc values: each shard returns them with its candidates, saving the
        // second (fetch) round trip of a distributed search
        solr.set("distrib.singlePass", true);
        SolrDocumentList docs = query(solr).getResults();
        List<IndexHit> hits = new ArrayList<>(docs.size());
        for (SolrDocument d : docs) {
            hits.add(new IndexHit(Long.parseLong((String) d.getFieldValue(ID)), number(d, IDENTITY).longValue(),
                    number(d, CAMERA).intValue(), number(d, CAPTURED_AT).longValue(),
                    2f * number(d, "score").floatValue() - 1f));
        }
        return hits;
    }

    private static String knn(float[] q, int topK) {
        StringBuilder s = new StringBuilder(q.length * 12 + 40);
        s.append("{!knn f=").append(VECTOR).append(" topK=").append(topK).append("}[");
        for (int i = 0; i < q.length; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(q[i]);
        }
        return s.append(']').toString();
    }

    /** The stored unit vector, read from the document (any replica; documents are soft-committed on add). */
    @Override
    public Optional<float[]> vector(long entryId) {
        SolrQuery solr = new SolrQuery("*:*");
        solr.addFilterQuery("{!term f=" + ID + "}" + entryId);
        solr.setFields(VECTOR);
        solr.setRows(1);
        SolrDocumentList docs = query(solr).getResults();
        if (docs.isEmpty()) {
            return Optional.empty();
        }
        Collection<Object> values = docs.get(0).getFieldValues(VECTOR);
        float[] v = new float[values.size()];
        int i = 0;
        for (Object x : values) {
            v[i++] = ((Number) x).floatValue();
        }
        return Optional.of(v);
    }

    /** Every entry id, paged through with a cursor (stable while documents change). */
    @Override
    public Set<Long> entryIds() {
        Set<Long> ids = new HashSet<>();
        String cursor = CursorMarkParams.CURSOR_MARK_START;
        while (true) {
            SolrQuery solr = new SolrQuery("*:*");
            solr.setFields(ID);
            solr.setRows(PAGE);
            solr.setSort(ID, SolrQuery.ORDER.asc);
            solr.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
            QueryResponse response = query(solr);
            for (SolrDocument d : response.getResults()) {
                ids.add(Long.parseLong((String) d.getFieldValue(ID)));
            }
            String next = response.getNextCursorMark();
            if (next == null || next.equals(cursor)) {
                return ids;
            }
            cursor = next;
        }
    }

    @Override
    public int size() {
        SolrQuery solr = new SolrQuery("*:*");
        solr.setRows(0);
        return Math.toIntExact(query(solr).getResults().getNumFound());
    }

    /** Hard commit: what was added is durable in the index files, not only in the transaction log. */
    @Override
    public void commit() {
        UpdateRequest update = new UpdateRequest();
        update.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true);
        send(update, "commit");
    }

    /**
     * Merges each replica's index down to at most {@code maxSegments} segments (one HNSW graph each;
     * a search visits every graph), e.g. after filling a collection. Expensive: graphs are merged.
     */
    public void mergeSegments(int maxSegments) {
        UpdateRequest update = new UpdateRequest();
        update.setAction(AbstractUpdateRequest.ACTION.OPTIMIZE, true, true, maxSegments);
        send(update, "merge the segments of");
    }

    /**
     * After a refill, which leaves many small segments: merges each shard into the fewest segments
     * of at most {@link SolrGallerySettings#maxSegmentMb()}, as the embedded index compacts after a
     * build. Returns the segment count asked of each shard. The request lasts as long as the merge;
     * when that outlasts the client's timeout (a 1M-entry collection on a small machine does) this
     * throws, and Solr finishes the merge on its own while searches go on.
     */
    public int compact() {
        int segments = compactedSegments();
        mergeSegments(segments);
        return segments;
    }

    /** The segments per shard {@link #compact} asks for: the shard's estimated bytes over the segment size. */
    public int compactedSegments() {
        double shardBytes = Math.ceil(size() / (double) settings.shards()) * (8.0 * dimension + ENTRY_OVERHEAD_BYTES);
        return (int) Math.max(1, Math.ceil(shardBytes / (settings.maxSegmentMb() * 1024 * 1024)));
    }

    /** The client belongs to {@link SolrGallery}; the collection stays in the cluster. */
    @Override
    public void close() {
    }

    /**
     * A read, tried again on failure: a request in flight to a node that is stopping fails (or comes
     * back cut short), and the next one goes to a live replica once the cluster state says the node
     * is gone. Reads change nothing, so repeating one is safe.
     */
    private QueryResponse query(SolrQuery solr) {
        RuntimeException failure = null;
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            try {
                return client.query(collection, solr, SolrRequest.METHOD.POST);
            } catch (SolrServerException | IOException | SolrException e) {
                RuntimeException wrapped = new UncheckedIOException("cannot search Solr collection " + collection,
                        e instanceof IOException io ? io : new IOException(e.getMessage(), e));
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
                pause(READ_RETRY_PAUSE_MS * (attempt + 1));
            }
        }
        throw failure;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a Solr read", e);
        }
    }

    private void send(UpdateRequest update, String what) {
        try {
            update.process(client, collection);
        } catch (SolrServerException | IOException e) {
            throw new UncheckedIOException("cannot " + what + " Solr collection " + collection,
                    e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }

    private static Number number(SolrDocument d, String field) {
        return (Number) d.getFieldValue(field);
    }

    @Override
    public String toString() {
        return "SolrVectorIndex[" + collection + ", " + dimension + "-d]";
    }
}
