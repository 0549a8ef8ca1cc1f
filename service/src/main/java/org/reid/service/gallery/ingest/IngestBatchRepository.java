package org.reid.service.gallery.ingest;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface IngestBatchRepository extends JpaRepository<IngestBatch, UUID> {
    Optional<IngestBatch> findByIdempotencyKey(String key);
}
