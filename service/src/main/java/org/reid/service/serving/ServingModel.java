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
