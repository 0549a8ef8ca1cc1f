package org.reid.service.support;

import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL the tests run against: a Testcontainers PostgreSQL 17 where a Docker engine
 * runs, otherwise nothing here and the service starts its embedded PostgreSQL 17 (real binaries),
 * as on these machines. Never a mock.
 */
public final class TestDatabase {
    private static PostgreSQLContainer container;
    private static Boolean docker;

    private TestDatabase() {}

    /** Datasource properties for a container, or an empty map (embedded PostgreSQL). */
    public static synchronized Map<String, String> properties() {
        if (docker == null) {
            docker = dockerAvailable();
        }
        if (!docker) {
            return Map.of();
        }
        if (container == null) {
            container = new PostgreSQLContainer("postgres:17-alpine");
            container.start();
        }
        return Map.of("spring.datasource.url", container.getJdbcUrl(), "spring.datasource.username", container.getUsername(),
                "spring.datasource.password", container.getPassword());
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
