package org.reid.service.gallery.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.reid.service.config.ReidProperties;
import org.reid.service.config.WorkerExecutors;
import org.reid.service.embedding.EmbeddingMetrics;
import org.reid.service.gallery.GalleryWriter;
import org.reid.service.image.CheckedImage;
import org.reid.service.image.ImageGuard;
import org.reid.service.problem.Rejection;
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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Works through staged batch items in chunks, one batch after another on one thread: checks each
 * crop, skips duplicates (same sha256), embeds the rest in one forward pass, and commits entries,
 * embeddings and item states of a chunk in one transaction; the index follows after the commit.
 * A bad crop fails its item only.
 */
@Component
public class IngestionWorker {
    private static final Logger log = LoggerFactory.getLogger(IngestionWorker.class);

    private final IngestBatches batches;
    private final IngestItems items;
    private final ImageGuard guard;
    private final ActiveModel models;
    private final SwitchTarget switchTarget;
    private final GalleryWriter gallery;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final int chunkSize;
    private final ThreadPoolTaskExecutor executor;
    /** The second stage: stores a chunk while the ingestion thread embeds the next one. */
    private final ThreadPoolTaskExecutor writer;
    /** Batches queued or running on this replica. */
    private final java.util.Set<UUID> scheduled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Batches of this replica stopped by a database outage: resumed at the next pass, not stale-after later. */
    private final java.util.Set<UUID> interrupted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<ItemState, Counter> outcomes = new EnumMap<>(ItemState.class);
    private final Timer embedTimer;
    private final DistributionSummary batchSize;

    public IngestionWorker(IngestBatches batches, IngestItems items, ImageGuard guard, ActiveModel models,
            SwitchTarget switchTarget, GalleryWriter writer, AuditLog audit, TransactionTemplate tx, ReidProperties properties, MeterRegistry meters,
            @Qualifier(WorkerExecutors.INGESTION) ThreadPoolTaskExecutor executor,
            @Qualifier(WorkerExecutors.INGESTION_WRITER) ThreadPoolTaskExecutor writerThread) {
        this.executor = executor;
        this.writer = writerThread;
        this.batches = batches;
        this.items = items;
        this.guard = guard;
        this.models = models;
        this.switchTarget = switchTarget;
        this.gallery = writer;
        this.audit = audit;
        this.tx = tx;
        this.chunkSize = properties.getIngest().getChunkSize();
        for (ItemState s : List.of(ItemState.STORED, ItemState.DUPLICATE, ItemState.FAILED)) {
            outcomes.put(s, Counter.builder("reid.ingest.items").description("ingested crops by outcome")
                    .tag("outcome", s.name().toLowerCase(java.util.Locale.ROOT)).register(meters));
        }
        this.embedTimer = EmbeddingMetrics.embedTimer(meters, "ingest");
        this.batchSize = EmbeddingMetrics.batchSize(meters, "ingest");
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
            Prepared prepared;
            try {
                prepared = prepare(model, switchTarget.get().orElse(null), chunk);
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
                        write(prepared);
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

    private record Outcome(IngestItems.Pending item, ItemState state, String error, CheckedImage image) {}

    /** A chunk checked and embedded, ready to be stored. */
    private record Prepared(ServingModel model, ServingModel target, List<Outcome> outcomes, List<Outcome> toEmbed,
            List<GalleryWriter.NewCrop> crops) {}

    private Prepared prepare(ServingModel model, ServingModel target, List<IngestItems.Pending> chunk) {
        List<Outcome> outcomesOfChunk = new ArrayList<>(chunk.size());
        Map<String, Integer> firstOfSha = new HashMap<>();
        for (IngestItems.Pending item : chunk) {
            Outcome o = check(item);
            if (o.image() != null) {
                Integer earlier = firstOfSha.putIfAbsent(o.image().sha256(), outcomesOfChunk.size());
                if (earlier != null) {
                    o = new Outcome(item, ItemState.DUPLICATE, "same image as " + chunk.get(earlier).fileName(), o.image());
                }
            }
            outcomesOfChunk.add(o);
        }
        List<Outcome> toEmbed = outcomesOfChunk.stream().filter(o -> o.state() == ItemState.PENDING).toList();
        float[][] vectors = new float[0][];
        float[][] targetVectors = new float[0][];
        if (!toEmbed.isEmpty()) {
            List<BufferedImage> pixels = toEmbed.stream().map(o -> o.image().pixels()).toList();
            long t0 = System.nanoTime();
            vectors = model.predictors().embed(pixels);
            embedTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            batchSize.record(pixels.size());
            if (target != null) {
                targetVectors = target.predictors().embed(pixels);
            }
        }
        float[][] embedded = vectors;
        float[][] targetEmbedded = targetVectors;
        List<GalleryWriter.NewCrop> crops = new ArrayList<>();
        for (int i = 0; i < toEmbed.size(); i++) {
            IngestItems.Pending it = toEmbed.get(i).item();
            Map<Long, float[]> byModel = new HashMap<>();
            byModel.put(model.id(), embedded[i]);
            if (target != null) {
                byModel.put(target.id(), targetEmbedded[i]);
            }
            crops.add(new GalleryWriter.NewCrop(it.identity(), toEmbed.get(i).image(), it.cameraId(), it.capturedAt(),
                    "batch:" + it.batchId(), byModel));
        }
        return new Prepared(model, target, outcomesOfChunk, toEmbed, crops);
    }

    private void write(Prepared prepared) {
        ServingModel model = prepared.model();
        ServingModel target = prepared.target();
        List<Outcome> toEmbed = prepared.toEmbed();
        List<Outcome> outcomesOfChunk = prepared.outcomes();
        List<Long> stored = tx.execute(s -> {
            List<GalleryWriter.Stored> results = gallery.storeAll(prepared.crops());
            Map<String, GalleryWriter.Stored> storedOfSha = new HashMap<>();
            List<IngestItems.Finish> finishes = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                GalleryWriter.Stored w = results.get(i);
                IngestItems.Pending it = toEmbed.get(i).item();
                storedOfSha.put(toEmbed.get(i).image().sha256(), w);
                finishes.add(new IngestItems.Finish(it.batchId(), it.index(), w.created() ? ItemState.STORED : ItemState.DUPLICATE,
                        w.created() ? null : "already in the gallery as entry " + w.entryId()
                                + conflict(w.storedLabel(), it.identity()), w.entryId()));
                if (w.created()) {
                    ids.add(w.entryId());
                }
            }
            for (Outcome o : outcomesOfChunk) {
                IngestItems.Pending it = o.item();
                if (o.state() == ItemState.DUPLICATE) {
                    GalleryWriter.Stored first = storedOfSha.get(o.image().sha256());
                    finishes.add(new IngestItems.Finish(it.batchId(), it.index(), ItemState.DUPLICATE,
                            o.error() + conflict(first.storedLabel(), it.identity()), first.entryId()));
                } else if (o.state() == ItemState.FAILED) {
                    finishes.add(new IngestItems.Finish(it.batchId(), it.index(), ItemState.FAILED, o.error(), null));
                }
            }
            items.finishAll(finishes);
            return ids;
        });
        long duplicatesInChunk = outcomesOfChunk.stream().filter(o -> o.state() == ItemState.DUPLICATE).count();
        long failedInChunk = outcomesOfChunk.stream().filter(o -> o.state() == ItemState.FAILED).count();
        outcomes.get(ItemState.STORED).increment(stored.size());
        outcomes.get(ItemState.DUPLICATE).increment(toEmbed.size() - stored.size() + duplicatesInChunk);
        outcomes.get(ItemState.FAILED).increment(failedInChunk);
        gallery.indexStored(model, stored);
        if (target != null) {
            gallery.indexStored(target, stored);
        }
    }

    /**
     * The end of a duplicate's message when the image is stored under another label than this
     * item's: the operator's labels disagree, and only erasing the entry relabels it.
     */
    private static String conflict(String storedLabel, String label) {
        return storedLabel == null || storedLabel.equals(label) ? ""
                : " of identity '" + storedLabel + "', not '" + label + "' as labelled here: not stored again under"
                        + " '" + label + "' (erase the entry and send the crop again to relabel it)";
    }

    private Outcome check(IngestItems.Pending item) {
        if (item.identity() == null) {
            return new Outcome(item, ItemState.FAILED,
                    "file name is not in Market-1501 naming (like 0042_c2s1_000151_01.jpg)", null);
        }
        if (item.identity().equals("-1")) {
            return new Outcome(item, ItemState.FAILED, "junk image (identity -1 in Market-1501 naming) is not stored", null);
        }
        try {
            return new Outcome(item, ItemState.PENDING, null, guard.check(item.fileName(), item.bytes()));
        } catch (Rejection e) {
            return new Outcome(item, ItemState.FAILED, e.getMessage(), null);
        }
    }
}
