package org.reid.service.models;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.reid.service.store.Replicas;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code model_switch} rows: what a switch is doing, durable across restarts. */
@Repository
public class SwitchLog {
    private final JdbcTemplate jdbc;
    private final Replicas replicas;

    public SwitchLog(JdbcTemplate jdbc, Replicas replicas) {
        this.jdbc = jdbc;
        this.replicas = replicas;
    }

    /** Inserts a RUNNING switch run by this replica; fails on the unique index if one is already running. */
    public SwitchStatus begin(Long fromId, long toId, String reason, String actor) {
        return jdbc.queryForObject("insert into model_switch (from_model_id, to_model_id, state, reason, requested_by, owner) "
                + "values (?, ?, 'RUNNING', ?, ?, ?) returning *", SwitchLog::read, fromId, toId, reason, actor, replicas.id());
    }

    public void progress(long id, int total, int embedded) {
        jdbc.update("update model_switch set total = ?, embedded = ?, updated_at = now() where id = ?", total, embedded, id);
    }

    public void finish(long id, String state, String error) {
        jdbc.update("update model_switch set state = ?, error = ?, updated_at = now(), finished_at = now() where id = ?",
                state, error, id);
    }

    /**
     * Claims the running switch for this replica if the replica that ran it is gone ({@link Replicas})
     * or nobody has recorded progress on it for {@code staleAfter}: the update succeeds for one
     * replica only, which then resumes it.
     */
    public Optional<SwitchStatus> claimStale(java.time.Duration staleAfter) {
        List<SwitchStatus> rows = jdbc.query("update model_switch s set updated_at = now(), owner = ? where state = 'RUNNING' "
                + "and (updated_at < now() - make_interval(secs => ?) or " + Replicas.ownerGone("s.owner") + ") returning *",
                SwitchLog::read, replicas.id(), (double) staleAfter.toMillis() / 1000.0, replicas.id(), replicas.staleSeconds());
        return rows.stream().findFirst();
    }

    public Optional<SwitchStatus> latest() {
        List<SwitchStatus> rows = jdbc.query("select * from model_switch order by id desc limit 1", SwitchLog::read);
        return rows.stream().findFirst();
    }

    private static SwitchStatus read(ResultSet rs, int i) throws SQLException {
        // wasNull() speaks of the last column read: ask it right after from_model_id, before reading id
        long fromId = rs.getLong("from_model_id");
        Long from = rs.wasNull() ? null : fromId;
        return new SwitchStatus(rs.getLong("id"), from, rs.getLong("to_model_id"), rs.getString("state"),
                rs.getInt("total"), rs.getInt("embedded"), rs.getString("reason"), rs.getString("error"),
                rs.getString("requested_by"), instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("updated_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
