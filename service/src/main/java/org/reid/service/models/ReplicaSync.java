package org.reid.service.models;

import java.time.Duration;
import org.reid.registry.ModelRegistry;
import org.reid.registry.RegisteredModel;
import org.reid.service.config.ReidProperties;
import org.reid.service.gallery.EmbeddingBackfill;
import org.reid.service.gallery.ingest.IngestionWorker;
import org.reid.service.security.AuditLog;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.IndexReconciler;
import org.reid.service.serving.ServingModel;
import org.reid.service.store.EmbeddingStore;
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
 * replica ingested, entries it erased), and takes over batches and switches whose replica stopped
 * (no progress for {@code reid.sync.stale-after}). With one replica it heals what a crash left.
 */
@Component
public class ReplicaSync implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(ReplicaSync.class);

    /** What one pass did. */
    public record Pass(boolean followed, int embedded, int added, int removed) {}

    private final ActiveModel active;
    private final ModelRegistry registry;
    private final ModelSwitcher switcher;
    private final EmbeddingBackfill backfill;
    private final EmbeddingStore embeddings;
    private final IndexReconciler reconciler;
    private final IngestionWorker ingestion;
    private final AuditLog audit;
    private final Duration staleAfter;
    private final Duration every;

    public ReplicaSync(ActiveModel active, ModelRegistry registry, ModelSwitcher switcher, EmbeddingBackfill backfill,
            EmbeddingStore embeddings, IndexReconciler reconciler, IngestionWorker ingestion, AuditLog audit,
            ReidProperties properties) {
        this.active = active;
        this.registry = registry;
        this.switcher = switcher;
        this.backfill = backfill;
        this.embeddings = embeddings;
        this.reconciler = reconciler;
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
            return new Pass(false, 0, 0, 0);
        }
        switcher.resumeIfStale(staleAfter);
        ingestion.resumeStale(staleAfter);
        RegisteredModel registryActive = registry.active().orElse(null);
        ServingModel current = active.current();
        if (registryActive != null && registryActive.id() != current.id() && !switcher.isBusy()) {
            ServingModel next = active.open(registryActive);
            int embedded = backfill.run(next);
            active.calibrate(next);
            active.swapTo(next);
            audit.record(AuditLog.SYSTEM, "model.follow", "model:" + next.id(), null,
                    "this replica now serves " + next.label() + ", activated elsewhere");
            return new Pass(true, embedded, 0, 0);
        }
        ServingModel m = active.acquire();
        try {
            int embedded = backfill.run(m);
            return reconcile(m, embedded);
        } finally {
            m.release();
        }
    }

    private Pass reconcile(ServingModel m, int embedded) {
        if (!m.indexProgress().isDone()) {
            return new Pass(false, embedded, 0, 0); // the index is still being built or caught up since it was opened
        }
        java.util.OptionalLong checkpoint = m.index().checkpoint();
        if (embedded == 0 && checkpoint.isPresent() && checkpoint.getAsLong() == embeddings.generation()) {
            return new Pass(false, 0, 0, 0); // nothing written since the index was last found equal: no need to read it
        }
        IndexReconciler.Changes changes = reconciler.reconcile(m.index(), m.id());
        if (changes.any()) {
            log.info("index of {} reconciled with PostgreSQL: {} added, {} removed", m.label(), changes.added(),
                    changes.removed());
        }
        return new Pass(false, embedded, changes.added(), changes.removed());
    }
}
