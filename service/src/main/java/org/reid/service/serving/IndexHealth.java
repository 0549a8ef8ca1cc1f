package org.reid.service.serving;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.reid.service.store.DatabaseHealth;
import org.reid.service.store.EmbeddingStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health "index" and the index meters: entries in the serving model's index, the drift between
 * that count and the embeddings PostgreSQL holds for the model (it should be 0; a non-zero drift
 * means the index missed an update, which replica sync repairs), and how far the index has been
 * brought up to date since it was opened ({@link IndexProgress}). While the index is being built
 * it answers no search, and the health is OUT_OF_SERVICE (readiness with it); an index catching up
 * answers, and the health is UP with the progress.
 */
@Component("index")
public class IndexHealth implements HealthIndicator {
    private final ActiveModel active;
    private final EmbeddingStore embeddings;
    private final DatabaseHealth database;
    /** The last count of a model's embeddings, reused while the generation read before it holds. */
    private volatile CountAt lastCount;

    private record CountAt(long modelVersionId, long generation, long count) {}

    public IndexHealth(ActiveModel active, EmbeddingStore embeddings, DatabaseHealth database, MeterRegistry meters) {
        this.active = active;
        this.database = database;
        this.embeddings = embeddings;
        Gauge.builder("reid.index.size", this, h -> h.active.isReady() ? h.active.current().index().size() : 0)
                .description("entries in the serving model's gallery index").register(meters);
        Gauge.builder("reid.index.drift", this, IndexHealth::drift)
                .description("index entries minus PostgreSQL embeddings of the serving model (0 when in sync)")
                .register(meters);
        Gauge.builder("reid.index.preparation.done", this, h -> h.progress() == null ? 0 : h.progress().done())
                .description("entries gone through by the current phase of bringing the serving model's index up to date")
                .register(meters);
        Gauge.builder("reid.index.preparation.total", this, h -> h.progress() == null ? -1 : h.progress().total())
                .description("entries the current phase goes through (-1: not known yet)").register(meters);
        Gauge.builder("reid.index.erasure.pending", this, h -> h.active.isReady()
                        ? h.active.current().index().pendingErasureAge().toMillis() / 1000.0 : 0)
                .baseUnit("seconds")
                .description("how long the oldest erasure whose vectors are still in the index files has waited for its "
                        + "purge (0: none; purged within reid.index.erasure-window)").register(meters);
        Gauge.builder("reid.index.preparation.running", this, h -> h.progress() == null || h.progress().isDone() ? 0 : 1)
                .description("1 while the serving model's index is being built or caught up with PostgreSQL").register(meters);
    }

    @Override
    public Health health() {
        if (!active.isReady()) {
            return Health.outOfService().withDetail("reason", "the index is loading").build();
        }
        ServingModel m = active.current();
        IndexProgress progress = m.indexProgress();
        int size = m.index().size();
        if (!progress.searchable()) {
            return Health.outOfService().withDetail("reason", "the index is being built from PostgreSQL; searches wait for it")
                    .withDetail("entries", size).withDetail("preparation", progress.details()).withDetail("model", m.label()).build();
        }
        long stored;
        try {
            if (database.foundDown()) { // do not wait connection-timeout for the pool: readiness must answer fast
                throw new org.springframework.dao.DataAccessResourceFailureException("the database is down (health db)");
            }
            stored = stored(m.id());
        } catch (org.springframework.dao.DataAccessException e) {
            // the index serves on its own; the database's state is health "db", which readiness includes
            return Health.up().withDetail("entries", size).withDetail("inSync", "unknown: the database is unavailable")
                    .withDetail("preparation", progress.details()).withDetail("model", m.label()).build();
        }
        // Drift is a detail, not a DOWN: it is transient while a chunk of an ingestion is being indexed,
        // and while an index opened behind PostgreSQL catches up (it answers meanwhile).
        return Health.up().withDetail("inSync", size == stored).withDetail("entries", size).withDetail("postgresEmbeddings", stored).withDetail("drift", size - stored)
                .withDetail("erasurePendingSeconds", m.index().pendingErasureAge().toSeconds())
                .withDetail("preparation", progress.details()).withDetail("model", m.label()).build();
    }

    private IndexProgress progress() {
        return active.isReady() ? active.current().indexProgress() : null;
    }

    private double drift() {
        if (!active.isReady()) {
            return 0;
        }
        ServingModel m = active.current();
        return m.index().size() - stored(m.id());
    }

    /**
     * The model's embeddings in PostgreSQL. Counting them reads every one (about 20 ms at 200,000
     * entries), at each probe and scrape; while no write raised the generation since the last count,
     * that count still holds. The generation is read first: a count read after it is of that
     * generation or a later one, and a later one means the next read of the generation differs.
     */
    private long stored(long modelVersionId) {
        long generation = embeddings.generation();
        CountAt last = lastCount;
        if (last != null && last.modelVersionId() == modelVersionId && last.generation() == generation) {
            return last.count();
        }
        long count = embeddings.count(modelVersionId);
        lastCount = new CountAt(modelVersionId, generation, count);
        return count;
    }
}
