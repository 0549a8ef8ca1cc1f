package org.reid.registry;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies the Flyway migrations of {@code classpath:db/migration}: the one place the schema lives,
 * used by the training job here and by the service through Spring Boot's Flyway support.
 */
public final class RegistrySchema {
    private RegistrySchema() {}

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
