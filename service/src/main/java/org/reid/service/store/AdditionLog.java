package org.reid.service.store;

import java.sql.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The log of ingestion chunks' additions ({@code embedding_addition}, V8): which entries each
 * numbered transaction ({@link EmbeddingStore#numbered}) created, and for which model versions, so
 * that a replica that did not write them can apply exactly them to its index.
 */
@Repository
public class AdditionLog {
    /** The entries one generation's transaction created, each embedded by every one of {@code modelVersionIds}. */
    public record Addition(long generation, List<Long> modelVersionIds, List<Long> entryIds) {
        public boolean embeds(long modelVersionId) {
            return modelVersionIds.contains(modelVersionId);
        }
    }

    private final JdbcTemplate jdbc;

    public AdditionLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a numbered transaction's additions; call inside that transaction, after {@link EmbeddingStore#numbered}. */
    public void record(long generation, List<Long> modelVersionIds, List<Long> entryIds) {
        jdbc.update("insert into embedding_addition (generation, model_version_ids, entry_ids) values (?, ?, ?)",
                generation, modelVersionIds.toArray(Long[]::new), entryIds.toArray(Long[]::new));
    }

    /**
     * Every addition after generation {@code from} up to {@code to}, in order, when each generation
     * in between has one; empty when any of them was raised by another write (or its row is pruned).
     */
    public Optional<List<Addition>> between(long from, long to) {
        if (to <= from) {
            return Optional.of(List.of());
        }
        List<Addition> rows = jdbc.query("select generation, model_version_ids, entry_ids from embedding_addition "
                + "where generation > ? and generation <= ? order by generation",
                (rs, i) -> new Addition(rs.getLong(1), longs(rs.getArray(2)), longs(rs.getArray(3))), from, to);
        return rows.size() == to - from ? Optional.of(rows) : Optional.empty(); // generations are unique: all there
    }

    /** Deletes additions recorded more than {@code keep} ago; returns how many. */
    public int prune(Duration keep) {
        return jdbc.update("delete from embedding_addition where added_at < now() - make_interval(secs => ?)",
                keep.toMillis() / 1000.0);
    }

    private static List<Long> longs(Array array) throws java.sql.SQLException {
        Long[] values = (Long[]) array.getArray();
        return new ArrayList<>(Arrays.asList(values));
    }
}
