package org.reid.service.config;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The one-command default: when no {@code spring.datasource.url} is set, a real PostgreSQL 17
 * (zonky's binaries from Maven Central) runs under {@code <reid.data-dir>/postgres}, kept across
 * restarts. A configured datasource turns this off entirely. A postmaster left running on that
 * directory by a killed service is stopped before the start ({@link OrphanedPostmaster}); one that
 * dies while the service runs is restarted ({@link EmbeddedPostgresSupervisor}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceConfigured.class)
public class EmbeddedPostgresConfig {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgres(ReidProperties properties) {
        return EmbeddedPostgresServer.start(properties.getDataDir().toAbsolutePath().resolve("postgres"),
                properties.getEmbeddedPostgres().getPort());
    }

    @Bean
    EmbeddedPostgresSupervisor embeddedPostgresSupervisor(EmbeddedPostgresServer server, ReidProperties properties,
            ApplicationEventPublisher events, MeterRegistry meters) {
        return new EmbeddedPostgresSupervisor(server, properties, events, meters);
    }

    /**
     * The pool, with {@code spring.datasource.hikari.*} applied as for a configured database (its
     * short timeouts: application.properties). Its URL names the one port the server keeps, so the
     * pool reconnects by itself after a restart.
     */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server) {
        HikariDataSource ds = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(server.jdbcUrl())
                .username("postgres")
                .build();
        ds.setMaximumPoolSize(10);
        ds.setPoolName("embedded-postgres");
        // the embedded server's log is relayed into ours, where erasure cannot reach: its sessions
        // log errors without the DETAIL line that quotes a failing row (connected as its superuser,
        // who may set this); JdbcErrorPrivacy keeps values out of the driver's own errors
        ds.addDataSourceProperty("options", "-c log_error_verbosity=terse");
        return ds;
    }
}
