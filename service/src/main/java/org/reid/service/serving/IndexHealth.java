package org.reid.service.serving;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.reid.service.store.DatabaseHealth;
import org.reid.service.store.EmbeddingStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health "index" and the index meters: entries in the serving model's index, and the drift between
 * that count and the embeddings PostgreSQL holds for the model (it should be 0; a non-zero drift
 * means the index missed an update, and a restart rebuilds it).
 */
@Component("index")
public class IndexHealth implements HealthIndicator {
    private final ActiveModel active;
    private final EmbeddingStore embeddings;
    private final DatabaseHealth database;

    public IndexHealth(ActiveModel active, EmbeddingStore embeddings, DatabaseHealth database, MeterRegistry meters) {
        this.active = active;
        this.database = database;
        this.embeddings = embeddings;
        Gauge.builder("reid.index.size", this, h -> h.active.isReady() ? h.active.current().index().size() : 0)
                .description("entries in the serving model's gallery index").register(meters);
        Gauge.builder("reid.index.drift", this, IndexHealth::drift)
                .description("index entries minus PostgreSQL embeddings of the serving model (0 when in sync)")
                .register(meters);
    }

    @Override
    public Health health() {
        if (!active.isReady()) {
            return Health.outOfService().withDetail("reason", "the index is loading").build();
        }
        ServingModel m = active.current();
        int size = m.index().size();
        long stored;
        try {
            if (database.foundDown()) { // do not wait connection-timeout for the pool: readiness must answer fast
                throw new org.springframework.dao.DataAccessResourceFailureException("the database is down (health db)");
            }
            stored = embeddings.count(m.id());
        } catch (org.springframework.dao.DataAccessException e) {
            // the index serves on its own; the database's state is health "db", which readiness includes
            return Health.up().withDetail("entries", size).withDetail("inSync", "unknown: the database is unavailable")
                    .withDetail("model", m.label()).build();
        }
        // Drift is a detail, not a DOWN: it is transient while a chunk of an ingestion is being indexed.
        return Health.up().withDetail("inSync", size == stored).withDetail("entries", size).withDetail("postgresEmbeddings", stored).withDetail("drift", size - stored)
                .withDetail("model", m.label()).build();
    }

    private double drift() {
        if (!active.isReady()) {
            return 0;
        }
        ServingModel m = active.current();
        return m.index().size() - embeddings.count(m.id());
    }
}
