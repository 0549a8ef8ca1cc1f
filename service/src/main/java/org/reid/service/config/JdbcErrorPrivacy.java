package org.reid.service.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Keeps what a statement carried out of its error messages, and so out of the log, where erasure
 * cannot reach it. By default the PostgreSQL driver writes a failed batch entry with its parameters
 * (a crop's bytes as hex, a label) and the server's detail ("Failing row contains (...)", the
 * sha256 and the first bytes) into the exception; {@code logServerErrorDetail=false} leaves the
 * statement and the error, without the values. Applies to the embedded and to an external database.
 * The embedded server's own log is relayed into ours, so {@link EmbeddedPostgresConfig} has its
 * sessions log errors tersely too (no DETAIL line); an external server's log is its operator's
 * (docs/service.md).
 */
@Component
public class JdbcErrorPrivacy implements BeanPostProcessor {
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource ds) {
            // before the pool's first connection, which seals its configuration
            ds.addDataSourceProperty("logServerErrorDetail", "false");
        }
        return bean;
    }
}
