package org.reid.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.reid.core.util.Sha256;

/** The model registry in PostgreSQL (plain JDBC: the training job has no Spring). */
public final class JdbcModelRegistry implements ModelRegistry {
    private static final String COLUMNS =
            "id, name, version, state, state_reason, manifest::text, metrics::text, artifact_sha256, created_at";

    private final DataSource dataSource;

    /** Uses {@code dataSource} as is; call {@link RegistrySchema#migrate} first (or let Spring's Flyway). */
    public JdbcModelRegistry(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Connects to {@code jdbcUrl} (user and password may be URL parameters) and migrates the schema. */
    public static JdbcModelRegistry connect(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("registry must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got '" + jdbcUrl + "'");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        try {
            RegistrySchema.migrate(ds);
        } catch (RuntimeException e) {
            // Named without the URL's credentials; the root cause says why (refused, auth, unknown host).
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new RegistryException("cannot open the registry at " + where(jdbcUrl) + ": " + root.getMessage(), e);
        }
        return new JdbcModelRegistry(ds);
    }

    /** host:port/database of a PostgreSQL JDBC URL, never its user or password. */
    private static String where(String jdbcUrl) {
        java.util.Properties p = org.postgresql.Driver.parseURL(jdbcUrl, null);
        return p == null ? "(an unparsable URL)"
                : p.getProperty("PGHOST") + ":" + p.getProperty("PGPORT") + "/" + p.getProperty("PGDBNAME");
    }

    @Override
    public RegisteredModel publishCandidate(String name, String version, String manifestJson, String metricsJson, byte[] artifactZip) {
        requireText("name", name);
        requireText("version", version);
        String sql = "insert into model_version (name, version, state, manifest, metrics, artifact, artifact_sha256) "
                + "values (?, ?, 'candidate', ?::jsonb, ?::jsonb, ?, ?) on conflict (name, version) do nothing returning "
                + COLUMNS;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.setString(2, version);
            ps.setString(3, manifestJson);
            if (metricsJson == null) {
                ps.setNull(4, Types.VARCHAR);
            } else {
                ps.setString(4, metricsJson);
            }
            ps.setBytes(5, artifactZip);
            ps.setString(6, Sha256.hex(artifactZip));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("model " + name + " version " + version + " is already published");
                }
                return read(rs);
            }
        } catch (SQLException e) {
            throw new RegistryException("could not publish " + name + " " + version, e);
        }
    }

    @Override
    public List<RegisteredModel> list() {
        return query("select " + COLUMNS + " from model_version order by created_at desc, id desc");
    }

    @Override
    public Optional<RegisteredModel> find(String name, String version) {
        return query("select " + COLUMNS + " from model_version where name = ? and version = ?", name, version)
                .stream().findFirst();
    }

    @Override
    public Optional<RegisteredModel> active() {
        return query("select " + COLUMNS + " from model_version where state = 'active'").stream().findFirst();
    }

    @Override
    public byte[] artifact(long id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select artifact, artifact_sha256 from model_version where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no model version with id " + id);
                }
                byte[] bytes = rs.getBytes(1);
                String expected = rs.getString(2);
                if (!Sha256.hex(bytes).equals(expected)) {
                    throw new RegistryException("artifact of model version " + id + " fails its sha256 check", null);
                }
                return bytes;
            }
        } catch (SQLException e) {
            throw new RegistryException("could not read artifact " + id, e);
        }
    }

    @Override
    public RegisteredModel changeState(long id, ModelState state, String reason) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Activations take turns: two at once would both retire "the" active row and then
                // collide on the one-active index instead of one following the other.
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(7701501)")) {
                    lock.execute();
                }
                try (PreparedStatement current = c.prepareStatement("select state from model_version where id = ?")) {
                    current.setLong(1, id);
                    try (ResultSet rs = current.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalArgumentException("no model version with id " + id);
                        }
                        ModelState from = ModelState.fromLabel(rs.getString(1));
                        if (!from.canMoveTo(state)) {
                            throw new IllegalArgumentException("model version " + id + " is " + from.label()
                                    + " and cannot become " + state.label());
                        }
                    }
                }
                if (state == ModelState.ACTIVE) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "update model_version set state = 'retired', updated_at = now() where state = 'active' and id <> ?")) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                    }
                }
                RegisteredModel updated;
                try (PreparedStatement ps = c.prepareStatement("update model_version set state = ?, state_reason = ?, "
                        + "updated_at = now() where id = ? returning " + COLUMNS)) {
                    ps.setString(1, state.label());
                    ps.setString(2, reason);
                    ps.setLong(3, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalArgumentException("no model version with id " + id);
                        }
                        updated = read(rs);
                    }
                }
                c.commit();
                return updated;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RegistryException("could not change the state of model version " + id, e);
        }
    }

    private List<RegisteredModel> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<RegisteredModel> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RegistryException("registry query failed", e);
        }
    }

    private static RegisteredModel read(ResultSet rs) throws SQLException {
        return new RegisteredModel(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                ModelState.fromLabel(rs.getString(4)),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getTimestamp(9).toInstant());
    }

    static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("model " + field + " must not be blank");
        }
        if (value.length() > 200) {
            throw new IllegalArgumentException("model " + field + " is " + value.length() + " characters; the limit is 200");
        }
    }
}
