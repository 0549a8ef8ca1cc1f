package org.reid.service.gallery.ingest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A batch's progress as {@code GET /api/v1/gallery/batches/{id}} answers it. */
public record BatchView(UUID id, IngestBatch.State state, int total, int stored, int duplicates, int failed, int pending,
        Instant createdAt, Instant updatedAt, List<IngestItems.Status> items) {
}
