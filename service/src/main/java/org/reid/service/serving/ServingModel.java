package org.reid.service.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reid.core.model.Embedder;
import org.reid.core.model.Manifest;
import org.reid.registry.RegisteredModel;
import org.reid.index.VectorIndex;
import org.reid.service.embedding.PredictorPool;
import org.reid.service.embedding.SearchBatcher;

/**
 * One model version ready to serve: the registry entry, the loaded network with its predictors and
 * search batcher, and the gallery index of this version's embeddings. A request leases it
 * ({@link ActiveModel#acquire()}) and uses it to the end, so embeddings of two versions never meet;
 * a retired version closes when its last lease is released.
 */
public final class ServingModel implements AutoCloseable {
    private final RegisteredModel registered;
    private final Embedder embedder;
    private final PredictorPool predictors;
    private final SearchBatcher batcher;
    private final VectorIndex index;
    private final IndexProgress indexProgress;
    private final AtomicInteger leases = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retiring;
    private volatile Runnable retiredCleanup;
    private volatile ThresholdCalibration.Threshold threshold;
    /** The embeddings' generation at which every stored crop had an embedding of this version; -1: not known. */
    private final java.util.concurrent.atomic.AtomicLong allEmbeddedAt = new java.util.concurrent.atomic.AtomicLong(-1);

    public ServingModel(RegisteredModel registered, Embedder embedder, PredictorPool predictors, SearchBatcher batcher,
            VectorIndex index) {
        this(registered, embedder, predictors, batcher, index, IndexProgress.current(registered.id(), "given up to date"));
    }

    ServingModel(RegisteredModel registered, Embedder embedder, PredictorPool predictors, SearchBatcher batcher,
            VectorIndex index, IndexProgress indexProgress) {
        this.registered = registered;
        this.embedder = embedder;
        this.predictors = predictors;
        this.batcher = batcher;
        this.index = index;
        this.indexProgress = indexProgress;
    }

    public RegisteredModel registered() { return registered; }
    public Manifest manifest() { return embedder.manifest(); }
    public Embedder embedder() { return embedder; }
    public PredictorPool predictors() { return predictors; }
    public SearchBatcher batcher() { return batcher; }
    public VectorIndex index() { return index; }
    /** How the index was found at opening and how far bringing it up to date has got. */
    public IndexProgress indexProgress() { return indexProgress; }

    /**
     * The "unknown" threshold calibrated for this version's embeddings of the gallery, with the
     * calibration's sorted scores (shown by {@code GET /api/v1/models/active/calibration}), or null.
     */
    public ThresholdCalibration.Threshold threshold() { return threshold; }

    public void setThreshold(ThresholdCalibration.Threshold threshold) {
        this.threshold = threshold;
    }

    public long id() {
        return registered.id();
    }

    /**
     * The embeddings' generation ({@code EmbeddingStore.generation()}) at which every stored crop
     * was found to have an embedding of this version, or -1: while PostgreSQL is still at it, there
     * is nothing to backfill, and finding that out again (an anti-join over the whole gallery: 37 ms of
     * PostgreSQL at 200,000 entries, 150 ms while its statistics lag a bulk load) is skipped.
     */
    public long allEmbeddedAt() {
        return allEmbeddedAt.get();
    }

    public void setAllEmbeddedAt(long generation) {
        allEmbeddedAt.set(generation);
    }

    /**
     * Carries {@link #allEmbeddedAt()} from {@code from} to {@code to} when it is at {@code from}: for
     * the caller whose transaction, of generation {@code to}, gave every crop it stored an embedding
     * of this version.
     */
    public void advanceAllEmbeddedAt(long from, long to) {
        allEmbeddedAt.compareAndSet(from, to);
    }

    /** {@code name:version}, as metrics and answers show it. */
    public String label() {
        return registered.name() + ":" + registered.version();
    }

    /** Takes a lease; false when the version is being retired (take the new active one instead). */
    boolean retain() {
        leases.incrementAndGet();
        if (retiring) {
            release();
            return false;
        }
        return true;
    }

    /** Ends a lease taken by {@link ActiveModel#acquire()}. */
    public void release() {
        if (leases.decrementAndGet() == 0 && retiring) {
            close();
        }
    }

    /** No new leases; closes once the running requests are done. */
    void retire() {
        retiring = true;
        if (leases.get() == 0) {
            close();
        }
    }

    /**
     * Runs {@code cleanup} when this version closes after being retired (replaced by another), not
     * when it closes with the service: what only the serving version should keep, such as its index
     * files, which still hold crops erased since (an index opened again is rebuilt from PostgreSQL).
     */
    void whenRetired(Runnable cleanup) {
        this.retiredCleanup = cleanup;
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        batcher.close();
        predictors.close();
        embedder.close();
        indexProgress.cancelAndAwait(); // a catch-up still running stops at its chunk's end, before the index closes
        try {
            index.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (retiring && retiredCleanup != null) {
            retiredCleanup.run();
        }
    }
}
