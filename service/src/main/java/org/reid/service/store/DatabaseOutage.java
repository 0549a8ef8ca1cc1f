package org.reid.service.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure of the database (down, restarting, unreachable, out of connections: worth trying
 * again shortly) from any other failure, whatever wrapped it: Spring's translations, a failed
 * transaction begin, Hibernate, or the raw JDBC exceptions of code outside Spring (the model
 * registry). The web layer answers such a failure 503 with Retry-After; background work resumes
 * the work it interrupted once the database is back.
 */
public final class DatabaseOutage {
    /** What a client is told to wait before trying again: about one restart of the embedded database. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private DatabaseOutage() {}

    /** Whether {@code e} or one of its causes says the database is unavailable for now. */
    public static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException // includes CannotGetJdbcConnectionException
                    || t instanceof TransientDataAccessException // includes QueryTimeoutException, lock timeouts
                    || t instanceof RecoverableDataAccessException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException // Hikari: no connection within connection-timeout
                    || t instanceof SQLRecoverableException
                    || t instanceof SQLException s && (unavailableState(s.getSQLState())
                            // Hikari's answer on a connection it evicted because the database broke it
                            // (a rollback after the failure that broke it gets this one)
                            || "Connection is closed".equals(s.getMessage()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception: refused, broken, lost), 57P01-57P03 (the server is
     * shutting down, crashed, or cannot take connections yet) and 53300 (too many connections).
     */
    private static boolean unavailableState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300"));
    }
}
