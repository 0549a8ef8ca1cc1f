package org.reid.registry;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs every assertion of {@link ModelRegistryContract} against a real PostgreSQL 17 (embedded
 * binaries; these machines have no Docker engine).
 */
class JdbcModelRegistryTest extends ModelRegistryContract {
    private static EmbeddedPostgres postgres;
    private static JdbcModelRegistry registry;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        registry = JdbcModelRegistry.connect(postgres.getJdbcUrl("postgres", "postgres"));
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate model_version restart identity cascade"); // the gallery tables reference it
        }
    }

    @Override
    ModelRegistry registry() {
        return registry;
    }
}
