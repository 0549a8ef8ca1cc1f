package org.reid.service.store;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads gallery entries without their bytes (rows are written by {@code gallery.GalleryWriter}). */
@Repository
public class GalleryEntries {
    /** Per identity: its entry count, first and last capture, and one entry for a thumbnail. */
    public record Summary(long identityId, long entries, Instant firstSeen, Instant lastSeen, long thumbnailEntryId) {}

    private static final String COLUMNS =
            "id, identity_id, sha256, camera_id, captured_at, source, content_type, width, height, created_at";
    private static final RowMapper<GalleryEntry> ROW = (rs, n) -> new GalleryEntry(rs.getLong("id"),
            rs.getLong("identity_id"), rs.getString("sha256"), rs.getInt("camera_id"),
            rs.getTimestamp("captured_at").toInstant(), rs.getString("source"), rs.getString("content_type"),
            rs.getInt("width"), rs.getInt("height"), rs.getTimestamp("created_at").toInstant());

    private final JdbcClient jdbc;

    public GalleryEntries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<GalleryEntry> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from gallery_entry where id = ?").param(id).query(ROW).optional();
    }

    /** An identity's entries by capture time. */
    public PageOf<GalleryEntry> pageOfIdentity(long identityId, int page, int size) {
        long total = jdbc.sql("select count(*) from gallery_entry where identity_id = ?").param(identityId)
                .query(Long.class).single();
        List<GalleryEntry> rows = jdbc.sql("select " + COLUMNS + " from gallery_entry where identity_id = :identity "
                        + "order by captured_at, id limit :size offset :offset")
                .param("identity", identityId).param("size", size).param("offset", (long) page * size).query(ROW).list();
        return new PageOf<>(rows, total);
    }

    public List<Long> idsOfIdentity(long identityId) {
        return jdbc.sql("select id from gallery_entry where identity_id = ?").param(identityId).query(Long.class).list();
    }

    public List<Long> idsCapturedBefore(Instant cutoff) {
        return jdbc.sql("select id from gallery_entry where captured_at < ?").param(java.sql.Timestamp.from(cutoff))
                .query(Long.class).list();
    }

    public Map<Long, Summary> summarize(Collection<Long> identityIds) {
        Map<Long, Summary> out = new HashMap<>();
        if (!identityIds.isEmpty()) {
            jdbc.sql("select identity_id, count(*), min(captured_at), max(captured_at), min(id) from gallery_entry "
                            + "where identity_id in (:ids) group by identity_id")
                    .param("ids", identityIds)
                    .query(rs -> {
                        out.put(rs.getLong(1), new Summary(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                                rs.getTimestamp(4).toInstant(), rs.getLong(5)));
                    });
        }
        return out;
    }

    /** The cameras each identity was seen on, in order. */
    public Map<Long, SortedSet<Integer>> camerasOf(Collection<Long> identityIds) {
        Map<Long, SortedSet<Integer>> out = new HashMap<>();
        if (!identityIds.isEmpty()) {
            jdbc.sql("select distinct identity_id, camera_id from gallery_entry where identity_id in (:ids)")
                    .param("ids", identityIds)
                    .query(rs -> {
                        out.computeIfAbsent(rs.getLong(1), k -> new TreeSet<>()).add(rs.getInt(2));
                    });
        }
        return out;
    }
}
