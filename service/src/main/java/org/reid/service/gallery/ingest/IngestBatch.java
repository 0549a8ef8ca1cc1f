package org.reid.service.gallery.ingest;

import java.time.Instant;
import java.util.UUID;

/** A submitted batch of crops (a row of {@code ingest_batch}); its items live in {@code ingest_item} ({@link IngestItems}). */
public record IngestBatch(UUID id, String idempotencyKey, String submittedBy, State state, int total, Instant createdAt,
        Instant updatedAt) {
    public enum State { PENDING, RUNNING, DONE }
}
