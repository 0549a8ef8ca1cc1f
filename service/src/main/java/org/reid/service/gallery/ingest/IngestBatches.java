package org.reid.service.gallery.ingest;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.reid.service.store.Replicas;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code ingest_batch} table: batches, their state, and which replica runs each. A batch is
 * claimed by one replica with a conditional update, so two replicas never run the same batch.
 */
@Repository
public class IngestBatches {
    /** A batch to resume, and how many items it has. */
    public record Resumable(UUID id, int total) {}

    private static final String COLUMNS = "id, idempotency_key, submitted_by, state, total, created_at, updated_at";
    private static final RowMapper<IngestBatch> ROW = (rs, n) -> new IngestBatch(rs.getObject("id", UUID.class),
            rs.getString("idempotency_key"), rs.getString("submitted_by"), IngestBatch.State.valueOf(rs.getString("state")),
            rs.getInt("total"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());

    private final JdbcClient jdbc;
    private final Replicas replicas;

    public IngestBatches(JdbcClient jdbc, Replicas replicas) {
        this.jdbc = jdbc;
        this.replicas = replicas;
    }

    public Optional<IngestBatch> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from ingest_batch where id = ?").param(id).query(ROW).optional();
    }

    public Optional<IngestBatch> findByIdempotencyKey(String key) {
        return jdbc.sql("select " + COLUMNS + " from ingest_batch where idempotency_key = ?").param(key).query(ROW).optional();
    }

    /** A new PENDING batch; a second one with the same idempotency key violates its unique constraint. */
    public IngestBatch create(String idempotencyKey, String submittedBy, int total) {
        return jdbc.sql("insert into ingest_batch (id, idempotency_key, submitted_by, state, total) "
                        + "values (?, ?, ?, 'PENDING', ?) returning " + COLUMNS)
                .params(UUID.randomUUID(), idempotencyKey, submittedBy, total).query(ROW).single();
    }

    /**
     * Unfinished batches that do not run here: never started, owned by a replica that is gone, or
     * without progress for {@code staleAfter}; oldest first.
     */
    public List<Resumable> resumable(Duration staleAfter) {
        return jdbc.sql("select id, total from ingest_batch b where state <> 'DONE' and (state = 'PENDING' "
                        + "or updated_at < now() - make_interval(secs => ?) or " + Replicas.ownerGone("b.owner")
                        + ") order by created_at")
                .params(staleAfter.toMillis() / 1000.0, replicas.id(), replicas.staleSeconds())
                .query((rs, i) -> new Resumable(rs.getObject("id", UUID.class), rs.getInt("total"))).list();
    }

    /** Takes the batch for this replica: only one update of the row as it was read can succeed. */
    public boolean claim(IngestBatch batch) {
        return jdbc.sql("update ingest_batch set state = 'RUNNING', owner = ?, updated_at = now() where id = ? "
                        + "and state = ? and updated_at = ?")
                .params(replicas.id(), batch.id(), batch.state().name(), Timestamp.from(batch.updatedAt())).update() == 1;
    }

    /** Records progress, so that the batch is not taken for stale. */
    public void touch(UUID id) {
        jdbc.sql("update ingest_batch set updated_at = now() where id = ?").param(id).update();
    }

    public void moveTo(UUID id, IngestBatch.State state) {
        jdbc.sql("update ingest_batch set state = ?, updated_at = now() where id = ?").params(state.name(), id).update();
    }
}
