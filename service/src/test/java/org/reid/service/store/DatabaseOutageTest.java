package org.reid.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** What counts as the database being unavailable (503, resume later) and what does not (a bug: 500). */
class DatabaseOutageTest {

    @Test
    void failuresOfTheDatabaseAreOutagesHoweverWrapped() {
        assertThat(DatabaseOutage.isCause(new CannotGetJdbcConnectionException("no connection",
                new SQLTransientConnectionException("pool - Connection is not available, request timed out after 3000ms")))).isTrue();
        assertThat(DatabaseOutage.isCause(new CannotCreateTransactionException("Could not open JDBC Connection for transaction"))).isTrue();
        // PostgreSQL's "terminating connection due to unexpected postmaster exit", wrapped by code outside Spring
        assertThat(DatabaseOutage.isCause(new IllegalStateException("registry",
                new SQLException("FATAL: terminating connection due to unexpected postmaster exit", "57P01")))).isTrue();
        assertThat(DatabaseOutage.isCause(new RuntimeException(new SQLException("FATAL: the database system is starting up", "57P03")))).isTrue();
        assertThat(DatabaseOutage.isCause(new SQLException("Connection refused", "08001"))).isTrue();
        // the rollback after the failure, on the connection Hikari evicted: what reaches the web layer
        assertThat(DatabaseOutage.isCause(new TransactionSystemException("Could not roll back JDBC transaction",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseOutage.isCause(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(DatabaseOutage.isCause(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(DatabaseOutage.isCause(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseOutage.isCause(null)).isFalse();
    }
}
