package org.reid.service.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the gallery's identities (rows are created by {@code gallery.GalleryWriter} with their first crop). */
@Repository
public class Identities {
    private static final RowMapper<Identity> ROW = (rs, n) ->
            new Identity(rs.getLong("id"), rs.getString("label"), rs.getTimestamp("created_at").toInstant());

    private final JdbcClient jdbc;

    public Identities(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long count() {
        return jdbc.sql("select count(*) from identity").query(Long.class).single();
    }

    public Optional<Identity> find(long id) {
        return jdbc.sql("select id, label, created_at from identity where id = ?").param(id).query(ROW).optional();
    }

    /** The identities of these ids that exist, in no particular order. */
    public List<Identity> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id, label, created_at from identity where id in (:ids)").param("ids", ids).query(ROW).list();
    }

    /** A page of identities by label, all of them or those whose label starts with {@code labelPrefix}. */
    public PageOf<Identity> page(String labelPrefix, int page, int size) {
        String pattern = labelPrefix == null ? "%" : likeEscaped(labelPrefix) + "%";
        long total = jdbc.sql("select count(*) from identity where label like :pattern escape '\\'")
                .param("pattern", pattern).query(Long.class).single();
        List<Identity> rows = jdbc.sql("select id, label, created_at from identity where label like :pattern escape '\\' "
                        + "order by label, id limit :size offset :offset")
                .param("pattern", pattern).param("size", size).param("offset", (long) page * size).query(ROW).list();
        return new PageOf<>(rows, total);
    }

    /** A label's own % and _ are matched literally. */
    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
