package org.reid.service.gallery.ingest;

import java.util.List;
import java.util.Optional;
import org.reid.service.security.AuditLog;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts batches: stages every item (bytes included) in PostgreSQL in one transaction, then hands
 * the batch to the {@link IngestionWorker}. A batch is therefore either wholly accepted or not at
 * all, and a crash after the 202 loses nothing: the worker resumes staged items at the next start.
 */
@Service
public class IngestionService {
    /** What a submission produced: the batch, and whether it is new or an idempotent replay. */
    public record Submitted(IngestBatch batch, boolean created) {}

    private final IngestBatches batches;
    private final IngestItems items;
    private final IngestionWorker worker;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    public IngestionService(IngestBatches batches, IngestItems items, IngestionWorker worker, AuditLog audit,
            TransactionTemplate tx) {
        this.batches = batches;
        this.items = items;
        this.worker = worker;
        this.audit = audit;
        this.tx = tx;
    }

    public Optional<IngestBatch> byIdempotencyKey(String key) {
        return key == null ? Optional.empty() : batches.findByIdempotencyKey(key);
    }

    public Submitted submit(List<SubmittedItem> submitted, String idempotencyKey, String actor) {
        Optional<IngestBatch> replay = byIdempotencyKey(idempotencyKey);
        if (replay.isPresent()) {
            return new Submitted(replay.get(), false);
        }
        IngestBatch batch;
        try {
            batch = tx.execute(s -> {
                IngestBatch b = batches.create(idempotencyKey, actor, submitted.size());
                items.stage(b.id(), submitted);
                audit.record(actor, "ingest.submit", "batch:" + b.id(), submitted.size(),
                        idempotencyKey == null ? null : "idempotency-key=" + idempotencyKey);
                return b;
            });
        } catch (DataIntegrityViolationException e) {
            // the same Idempotency-Key raced in from another request: answer that batch
            return byIdempotencyKey(idempotencyKey).map(b -> new Submitted(b, false)).orElseThrow(() -> e);
        }
        worker.schedule(batch.id());
        return new Submitted(batch, true);
    }
}
