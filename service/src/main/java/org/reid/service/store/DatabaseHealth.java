package org.reid.service.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health "db", in place of Spring Boot's (whose check waits for a pooled connection, 30 s by
 * default, then runs {@code isValid(0)}, which has no time limit): a connection of its own, beside
 * the pool, answering within {@link #WITHIN_S} s. When the database dies or restarts this is DOWN
 * at once (refused, or "starting up"), so readiness (which includes it) is DOWN and a load
 * balancer drains the replica, while liveness stays UP: the pool reconnects by itself, and after an
 * outage readiness stays DOWN until it has (Hikari may take up to 5 s longer than the database).
 * A pool busy with requests does not make it DOWN. Without a Hikari pool (no URL to connect to) it checks a
 * pooled connection instead.
 */
@Component("dbHealthIndicator")
public class DatabaseHealth implements HealthIndicator, DisposableBean {
    static final int WITHIN_S = 1;

    private final DataSource dataSource;
    private Connection probe; // guarded by this
    private volatile boolean down;

    public DatabaseHealth(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether the last check found the database unavailable: other checks need not wait for it. */
    public boolean foundDown() {
        return down;
    }

    @Override
    public synchronized Health health() {
        long t0 = System.nanoTime();
        try {
            if (probe != null && probe.isValid(WITHIN_S)) {
                return up(probe, t0);
            }
            close();
            probe = connect();
            if (probe == null) {
                try (Connection pooled = dataSource.getConnection()) {
                    return pooled.isValid(WITHIN_S) ? up(pooled, t0) : down("the database did not answer within " + WITHIN_S + " s");
                }
            }
            return probe.isValid(WITHIN_S) ? up(probe, t0) : down("the database did not answer within " + WITHIN_S + " s");
        } catch (SQLException | RuntimeException e) {
            close();
            return down("no connection: " + e.getMessage());
        }
    }

    private Health up(Connection c, long t0) throws SQLException {
        if (down && poolHasNoConnection()) {
            // Hikari retries a failed connect at growing intervals, up to 5 s: after an outage the
            // database answers before the pool has a connection again, and requests would get 503s
            // meanwhile. Readiness waits for the pool, so a load balancer sends them elsewhere.
            return Health.down().withDetail("reason", "the database answers again; the connection pool is "
                    + "reconnecting (within 5 s)").build();
        }
        down = false;
        return Health.up().withDetail("database", c.getMetaData().getDatabaseProductName())
                .withDetail("checkMillis", (System.nanoTime() - t0) / 1_000_000).build();
    }

    /**
     * Whether the pool holds no connection at all. Only a pool that keeps idle connections
     * ({@code minimum-idle} > 0, the default) is asked: one that may idle down to none would
     * otherwise never be ready again without traffic.
     */
    private boolean poolHasNoConnection() {
        return dataSource instanceof HikariDataSource pool && pool.getMinimumIdle() > 0 && pool.getHikariPoolMXBean() != null
                && pool.getHikariPoolMXBean().getTotalConnections() == 0;
    }

    private Health down(String reason) {
        down = true;
        return Health.down().withDetail("reason", reason).build();
    }

    /** A connection to the pool's database with the pool's credentials and short timeouts; null without a Hikari pool. */
    private Connection connect() throws SQLException {
        if (!(dataSource instanceof HikariDataSource pool) || pool.getJdbcUrl() == null) {
            return null;
        }
        Properties props = new Properties();
        props.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) {
            props.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            props.setProperty("password", pool.getPassword());
        }
        props.setProperty("connectTimeout", Integer.toString(WITHIN_S)); // PostgreSQL driver: seconds
        props.setProperty("socketTimeout", Integer.toString(2 * WITHIN_S));
        props.setProperty("ApplicationName", "reid health check");
        return DriverManager.getConnection(pool.getJdbcUrl(), props);
    }

    @Override
    public synchronized void destroy() {
        close();
    }

    private void close() {
        if (probe != null) {
            try {
                probe.close();
            } catch (SQLException ignored) {
                // it is broken already
            }
            probe = null;
        }
    }
}
