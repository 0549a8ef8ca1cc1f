package org.reid.service.gallery.ingest;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A submitted batch of crops; its items live in {@code ingest_item} ({@link IngestItems}). */
@Entity
@Table(name = "ingest_batch")
public class IngestBatch {
    public enum State { PENDING, RUNNING, DONE }

    @Id
    private UUID id;

    @Column(name = "idempotency_key", unique = true)
    private String idempotencyKey;

    @Column(name = "submitted_by", nullable = false)
    private String submittedBy;

    @Column(nullable = false)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    private State state;

    @Column(nullable = false)
    private int total;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected IngestBatch() {}

    public IngestBatch(UUID id, String idempotencyKey, String submittedBy, int total) {
        this.id = id;
        this.idempotencyKey = idempotencyKey;
        this.submittedBy = submittedBy;
        this.state = State.PENDING;
        this.total = total;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    public UUID getId() { return id; }
    public String getIdempotencyKey() { return idempotencyKey; }
    public String getSubmittedBy() { return submittedBy; }
    public State getState() { return state; }
    public int getTotal() { return total; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }

    public void moveTo(State state) {
        this.state = state;
        this.updatedAt = Instant.now();
    }
}
