package org.reid.service.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.jdbc.DataSourceBuilder;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The one-command default: when no {@code spring.datasource.url} is set, a real PostgreSQL 17
 * (zonky's binaries from Maven Central) runs under {@code <reid.data-dir>/postgres}, kept across
 * restarts. A configured datasource turns this off entirely. A postmaster left running on that
 * directory by a killed service is stopped before the start ({@link OrphanedPostmaster}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceConfigured.class)
public class EmbeddedPostgresConfig {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfig.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(ReidProperties properties) {
        Path pgData = properties.getDataDir().toAbsolutePath().resolve("postgres");
        int port = properties.getEmbeddedPostgres().getPort();
        try {
            Files.createDirectories(pgData);
            // a service killed with kill -9 leaves its postmaster running on this directory: stop it first
            OrphanedPostmaster.stopIfAny(pgData);
            log.info("starting embedded PostgreSQL in {} (set spring.datasource.url to use your own)", pgData);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(java.time.Duration.ofSeconds(60)) // 10 s was too short on a loaded machine
                    // the library starts PostgreSQL with synchronous_commit=off (fast tests): a commit
                    // answered 202 could then vanish in a crash. Acknowledged means durable.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on");
            if (port > 0) {
                builder.setPort(port); // a fixed port, for tools beside the service (psql, benchmarks)
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL could not start in " + pgData + ": " + e.getMessage(), e);
        }
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource ds = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(postgres.getJdbcUrl("postgres", "postgres"))
                .username("postgres")
                .build();
        ds.setMaximumPoolSize(10);
        ds.setPoolName("embedded-postgres");
        return ds;
    }
}
