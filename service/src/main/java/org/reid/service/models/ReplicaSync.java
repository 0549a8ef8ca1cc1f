package org.reid.service.models;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.reid.registry.ModelRegistry;
import org.reid.registry.RegisteredModel;
import org.reid.service.config.ReidProperties;
import org.reid.service.gallery.EmbeddingBackfill;
import org.reid.service.gallery.ingest.IngestionWorker;
import org.reid.service.security.AuditLog;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.AdditionReplay;
import org.reid.service.serving.AdditionReplay.Replayed;
import org.reid.service.serving.IndexReconciler;
import org.reid.service.serving.ServingModel;
import org.reid.service.store.AdditionLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Keeps this replica in step with PostgreSQL, which every replica shares while each has its own
 * local index: follows a model version another replica activated, embeds crops still missing this
 * version's embedding, brings the index to exactly the entries PostgreSQL holds (crops another
 * replica ingested, entries it erased: by applying the log of other replicas' ingestion chunks when
 * nothing else was written, else by comparing every id), and takes over batches and switches whose replica stopped
 * (no progress for {@code reid.sync.stale-after}). With one replica it heals what a crash left.
 */
@Component
public class ReplicaSync implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(ReplicaSync.class);

    /** What one pass did, and how it found the index current ({@code null} when it did not get that far). */
    public record Pass(boolean followed, int embedded, int added, int removed, IndexWay way) {}

    /** How a pass found the serving model's index current. */
    public enum IndexWay {
        /** its checkpoint was PostgreSQL's generation: nothing written since */
        CURRENT,
        /** by applying the logged additions of other replicas' ingestion chunks ({@link AdditionReplay}) */
        REPLAYED,
        /** by comparing every id of the index with PostgreSQL's ({@link IndexReconciler}) */
        COMPARED
    }

    /** How long the log of ingestion chunks' additions is kept: a replica further behind compares. */
    static final Duration ADDITIONS_KEPT = Duration.ofMinutes(10);

    private final ActiveModel active;
    private final ModelRegistry registry;
    private final ModelSwitcher switcher;
    private final EmbeddingBackfill backfill;
    private final IndexReconciler reconciler;
    private final AdditionReplay replay;
    private final AdditionLog additions;
    private final Map<IndexWay, Counter> ways = new EnumMap<>(IndexWay.class);
    private final IngestionWorker ingestion;
    private final AuditLog audit;
    private final Duration staleAfter;
    private final Duration every;

    public ReplicaSync(ActiveModel active, ModelRegistry registry, ModelSwitcher switcher, EmbeddingBackfill backfill,
            IndexReconciler reconciler, AdditionReplay replay, AdditionLog additions,
            IngestionWorker ingestion, AuditLog audit, ReidProperties properties, MeterRegistry meters) {
        this.active = active;
        this.registry = registry;
        this.switcher = switcher;
        this.backfill = backfill;
        this.reconciler = reconciler;
        this.replay = replay;
        this.additions = additions;
        for (IndexWay w : IndexWay.values()) {
            ways.put(w, Counter.builder("reid.sync.index").description("replica sync passes by how they found the "
                    + "serving model's index current").tag("way", w.name().toLowerCase(java.util.Locale.ROOT)).register(meters));
        }
        this.ingestion = ingestion;
        this.audit = audit;
        this.staleAfter = properties.getSync().getStaleAfter();
        this.every = properties.getSync().getEvery();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::run, every, every));
    }

    public void run() {
        try {
            syncOnce();
        } catch (RuntimeException e) {
            if (org.reid.service.store.DatabaseOutage.isCause(e)) { // one line a pass while it is down, no stack trace
                log.warn("replica sync: the database is unavailable ({}); it tries again at the next pass", e.getMessage());
            } else {
                log.warn("replica sync failed; it tries again at the next pass", e);
            }
        }
    }

    public synchronized Pass syncOnce() {
        if (!active.isReady() || switcher.isBusy()) {
            return new Pass(false, 0, 0, 0, null);
        }
        switcher.resumeIfStale(staleAfter);
        ingestion.resumeStale(staleAfter);
        additions.prune(ADDITIONS_KEPT);
        RegisteredModel registryActive = registry.active().orElse(null);
        ServingModel current = active.current();
        if (registryActive != null && registryActive.id() != current.id() && !switcher.isBusy()) {
            ServingModel next = active.open(registryActive);
            int embedded = backfill.run(next);
            active.calibrate(next);
            active.swapTo(next);
            audit.record(AuditLog.SYSTEM, "model.follow", "model:" + next.id(), null,
                    "this replica now serves " + next.label() + ", activated elsewhere");
            return new Pass(true, embedded, 0, 0, null);
        }
        ServingModel m = active.acquire();
        try {
            // before the backfill: applying other replicas' additions also tells it there is nothing to embed
            Optional<Replayed> replayed = m.indexProgress().isDone() ? replay.replay(m) : Optional.empty();
            int embedded = backfill.run(m);
            return count(reconcile(m, embedded, replayed));
        } finally {
            m.release();
        }
    }

    private Pass reconcile(ServingModel m, int embedded, Optional<Replayed> replayed) {
        if (!m.indexProgress().isDone()) {
            return new Pass(false, embedded, 0, 0, null); // the index is still being built or caught up since it was opened
        }
        if (embedded == 0 && replayed.isPresent()) {
            // current at the generation the replay read, its checkpoint's when nothing was written since
            // (a chunk committed after that read is the next pass's)
            Replayed r = replayed.get();
            return r.generations() > 0 ? new Pass(false, 0, r.added(), 0, IndexWay.REPLAYED) : new Pass(false, 0, 0, 0, IndexWay.CURRENT);
        }
        IndexReconciler.Changes changes = reconciler.reconcile(m.index(), m.id());
        if (changes.any()) {
            log.info("index of {} reconciled with PostgreSQL: {} added, {} removed", m.label(), changes.added(),
                    changes.removed());
        }
        int added = changes.added() + replayed.map(Replayed::added).orElse(0);
        return new Pass(false, embedded, added, changes.removed(), IndexWay.COMPARED);
    }

    private Pass count(Pass pass) {
        if (pass.way() != null) {
            ways.get(pass.way()).increment();
        }
        return pass;
    }
}
