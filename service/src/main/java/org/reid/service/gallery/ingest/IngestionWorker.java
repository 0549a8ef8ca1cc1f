package org.reid.service.gallery.ingest;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.reid.service.config.ReidProperties;
import org.reid.service.config.WorkerExecutors;
import org.reid.service.security.AuditLog;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.ServingModel;
import org.reid.service.serving.SwitchTarget;
import org.reid.service.store.DatabaseOutage;
import org.reid.service.store.Replicas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Works through staged batch items in chunks, one batch after another on one thread, in two
 * stages one chunk apart: {@link ChunkPreparer} checks and embeds chunk n+1 on this thread while
 * {@link ChunkWriter} stores chunk n on the writer thread (entries, embeddings and item states in
 * one transaction; the index follows after the commit). A bad crop fails its item only. A batch is
 * DONE once its entries are searchable and the threshold is calibrated on the new gallery.
 */
@Component
public class IngestionWorker {
    private static final Logger log = LoggerFactory.getLogger(IngestionWorker.class);

    private final IngestBatches batches;
    private final IngestItems items;
    private final ChunkPreparer preparer;
    private final ChunkWriter chunkWriter;
    private final ActiveModel models;
    private final SwitchTarget switchTarget;
    private final AuditLog audit;
    private final int chunkSize;
    private final ThreadPoolTaskExecutor executor;
    /** The second stage: stores a chunk while the ingestion thread embeds the next one. */
    private final ThreadPoolTaskExecutor writer;
    /** Batches queued or running on this replica. */
    private final java.util.Set<UUID> scheduled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Batches of this replica stopped by a database outage: resumed at the next pass, not stale-after later. */
    private final java.util.Set<UUID> interrupted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public IngestionWorker(IngestBatches batches, IngestItems items, ChunkPreparer preparer, ChunkWriter chunkWriter,
            ActiveModel models, SwitchTarget switchTarget, AuditLog audit, ReidProperties properties,
            @Qualifier(WorkerExecutors.INGESTION) ThreadPoolTaskExecutor executor,
            @Qualifier(WorkerExecutors.INGESTION_WRITER) ThreadPoolTaskExecutor writer) {
        this.batches = batches;
        this.items = items;
        this.preparer = preparer;
        this.chunkWriter = chunkWriter;
        this.models = models;
        this.switchTarget = switchTarget;
        this.audit = audit;
        this.chunkSize = properties.getIngest().getChunkSize();
        this.executor = executor;
        this.writer = writer;
    }

    public void schedule(UUID batchId) {
        scheduled.add(batchId);
        executor.submit(() -> {
            try {
                process(batchId);
            } catch (RuntimeException e) {
                if (DatabaseOutage.isCause(e)) {
                    // its chunk rolled back; it resumes at the first replica sync that reaches the database again
                    interrupted.add(batchId);
                    log.warn("batch {} stopped: the database is unavailable ({}); it resumes once the database is back",
                            batchId, e.getMessage());
                } else {
                    log.error("batch {} stopped; its pending items are resumed later", batchId, e);
                }
            } finally {
                scheduled.remove(batchId);
            }
        });
    }

    /**
     * Resumes batches left unfinished by a stop or crash (their items are still staged) that do not
     * run here: those never started, those whose replica is gone ({@link Replicas}: at once, and
     * right at the start that follows a crash), and those whose last progress is older than
     * {@code staleAfter} (their runner is stuck, or stopped on an error), and those this replica ran
     * until the database became unavailable (the query here reaching it says it is back).
     */
    public void resumeStale(java.time.Duration staleAfter) {
        for (IngestBatches.Resumable b : batches.resumable(staleAfter)) {
            if (scheduled.add(b.id())) {
                log.info("resuming batch {} ({} items)", b.id(), b.total());
                schedule(b.id());
            }
        }
        for (UUID id : List.copyOf(interrupted)) {
            interrupted.remove(id);
            if (scheduled.add(id)) {
                log.info("resuming batch {}, stopped by a database outage", id);
                schedule(id);
            }
        }
    }

    void process(UUID batchId) {
        IngestBatch batch = batches.find(batchId).orElse(null);
        if (batch == null || batch.state() == IngestBatch.State.DONE || !batches.claim(batch)) {
            return;
        }
        // Two stages, one chunk apart: while the writer thread stores chunk n, this thread checks and
        // embeds chunk n+1. A chunk holds a model lease and a switch stamp from embedding to indexing,
        // so a model swap never falls inside it (both indexes get its crops during a switch). Until the
        // writer has taken the chunk over, this thread releases both on any failure: a stamp left
        // behind would block every model switch at its swap, and a lease the old version's closing.
        CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);
        int after = -1;
        List<IngestItems.Pending> chunk;
        while (!(chunk = items.pending(batchId, after, chunkSize)).isEmpty()) {
            after = chunk.get(chunk.size() - 1).index();
            long stamp = switchTarget.enterChunk();
            ServingModel model = models.acquire();
            PreparedChunk prepared;
            try {
                prepared = preparer.prepare(model, switchTarget.get().orElse(null), chunk);
            } catch (RuntimeException e) {
                release(model, stamp);
                try {
                    writing.join(); // the batch ends only once chunk n is written (or has failed)
                } catch (RuntimeException writeFailure) {
                    e.addSuppressed(writeFailure);
                }
                throw e;
            }
            try {
                writing.join(); // at most one chunk being written; throws when chunk n failed
                writing = CompletableFuture.runAsync(() -> {
                    try {
                        chunkWriter.write(prepared);
                        batches.touch(batchId); // progress: not stale
                    } finally {
                        release(model, stamp);
                    }
                }, writer);
            } catch (RuntimeException e) { // chunk n failed, or the writer refused chunk n+1 (shutting down)
                release(model, stamp);
                throw e;
            }
        }
        writing.join();
        ServingModel serving = models.acquire();
        try {
            serving.index().commit();
            switchTarget.get().ifPresent(t -> t.index().commit());
            models.calibrate(serving); // the gallery changed: so did the impostor scores
        } finally {
            serving.release();
        }
        // DONE once searchable with a verdict calibrated on the new gallery
        batches.moveTo(batchId, IngestBatch.State.DONE);
        Map<ItemState, Integer> counts = items.counts(batchId);
        audit.record(batch.submittedBy(), "ingest.done", "batch:" + batchId, counts.get(ItemState.STORED),
                "stored=" + counts.get(ItemState.STORED) + " duplicates=" + counts.get(ItemState.DUPLICATE)
                        + " failed=" + counts.get(ItemState.FAILED));
    }

    /** Ends a chunk's hold: its model lease and its switch stamp. */
    private void release(ServingModel model, long stamp) {
        try {
            model.release();
        } finally {
            switchTarget.exitChunk(stamp);
        }
    }
}
