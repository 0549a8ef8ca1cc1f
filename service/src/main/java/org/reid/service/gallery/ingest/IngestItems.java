package org.reid.service.gallery.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The items of ingestion batches (plain JDBC: they are written and updated in bulk). */
@Repository
public class IngestItems {
    /** A pending item with its staged bytes. */
    public record Pending(UUID batchId, int index, String fileName, String identity, int cameraId, Instant capturedAt,
            byte[] bytes) {}

    /** An item as the batch status shows it. */
    public record Status(int index, String file, ItemState state, String error, Long entryId) {}

    private final JdbcTemplate jdbc;

    public IngestItems(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void stage(UUID batchId, List<SubmittedItem> items) {
        jdbc.batchUpdate("insert into ingest_item (batch_id, item_index, file_name, identity_label, camera_id, captured_at, "
                + "state, staged_image) values (?, ?, ?, ?, ?, ?, 'PENDING', ?)",
                java.util.stream.IntStream.range(0, items.size()).boxed().toList(), 200, (ps, index) -> {
                    SubmittedItem item = items.get(index);
                    ps.setObject(1, batchId);
                    ps.setInt(2, index);
                    ps.setString(3, item.fileName());
                    ps.setString(4, item.identity());
                    ps.setInt(5, item.cameraId());
                    ps.setTimestamp(6, Timestamp.from(item.capturedAt()));
                    ps.setBytes(7, item.bytes());
                });
    }

    /** Pending items after {@code afterIndex} (those before it may be in flight), in order. */
    public List<Pending> pending(UUID batchId, int afterIndex, int limit) {
        return jdbc.query("select batch_id, item_index, file_name, identity_label, camera_id, captured_at, staged_image "
                + "from ingest_item where batch_id = ? and state = 'PENDING' and item_index > ? order by item_index limit ?",
                (rs, i) -> new Pending(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), rs.getTimestamp(6).toInstant(), rs.getBytes(7)), batchId, afterIndex, limit);
    }

    /**
     * Locks a chunk's items that are still pending, in item order (erasure locks the pending items
     * it deletes in the same order, so the two never deadlock), and returns their indexes: an item
     * erased since the chunk was read is missing, and its crop must not be stored.
     */
    public java.util.Set<Integer> lockPending(UUID batchId, List<Integer> indexes) {
        return new java.util.HashSet<>(jdbc.queryForList("select item_index from ingest_item where batch_id = ? "
                + "and item_index = any(?) and state = 'PENDING' order by item_index for update", Integer.class, batchId,
                indexes.toArray(Integer[]::new)));
    }

    /** An item's outcome, for {@link #finishAll}. */
    public record Finish(UUID batchId, int index, ItemState state, String error, Long entryId) {}

    /** Marks a chunk's items done, dropping their staged bytes (the entries now hold them, or they were bad). */
    public void finishAll(List<Finish> done) {
        jdbc.batchUpdate("update ingest_item set state = ?, error = ?, entry_id = ?, staged_image = null "
                + "where batch_id = ? and item_index = ?", done, 256, (ps, f) -> {
                    ps.setString(1, f.state().name());
                    ps.setString(2, f.error());
                    ps.setObject(3, f.entryId());
                    ps.setObject(4, f.batchId());
                    ps.setInt(5, f.index());
                });
    }

    public Map<ItemState, Integer> counts(UUID batchId) {
        Map<ItemState, Integer> counts = new java.util.EnumMap<>(ItemState.class);
        for (ItemState s : ItemState.values()) {
            counts.put(s, 0);
        }
        jdbc.query("select state, count(*) from ingest_item where batch_id = ? group by state",
                rs -> { counts.put(ItemState.valueOf(rs.getString(1)), rs.getInt(2)); }, batchId);
        return counts;
    }

    /**
     * A batch's items in order: all of them, or only those with an outcome to act on (duplicates
     * and failures). Pending items are counted, not listed: a poll of a running batch would
     * otherwise send every crop still to do, each time (10,000 items of a large batch per poll).
     */
    public List<Status> statuses(UUID batchId, boolean all) {
        return jdbc.query("select item_index, file_name, state, error, entry_id from ingest_item where batch_id = ? "
                + (all ? "" : "and state in ('DUPLICATE', 'FAILED') ") + "order by item_index",
                (rs, i) -> new Status(rs.getInt(1), rs.getString(2), ItemState.valueOf(rs.getString(3)), rs.getString(4),
                        (Long) rs.getObject(5)), batchId);
    }
}
