package org.reid.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reid.service.support.ServiceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The log of ingestion chunks' additions, on rows written in a transaction that is rolled back:
 * a range of generations is given only when every generation in it was logged (one that was not is
 * another kind of write, which the reader must compare to see), and old rows are pruned.
 */
class AdditionLogTest extends ServiceTest {
    private static final long BASE = 9_000_000_000L; // far above the generations the shared service reaches

    @Autowired
    AdditionLog log;

    @Autowired
    TransactionTemplate tx;

    @Test
    void aRangeIsGivenOnlyWhenEveryGenerationInItWasLogged() {
        tx.executeWithoutResult(status -> {
            log.record(BASE + 1, List.of(7L), List.of(11L, 12L));
            log.record(BASE + 2, List.of(7L, 8L), List.of());
            log.record(BASE + 4, List.of(7L), List.of(13L));

            List<AdditionLog.Addition> two = log.between(BASE, BASE + 2).orElseThrow();
            assertThat(two).extracting(AdditionLog.Addition::generation).containsExactly(BASE + 1, BASE + 2);
            assertThat(two.get(0).entryIds()).containsExactly(11L, 12L);
            assertThat(two.get(1).embeds(8L)).isTrue();
            assertThat(two.get(0).embeds(8L)).isFalse();
            assertThat(log.between(BASE, BASE + 4)).as("generation 3 was another write").isEmpty();
            assertThat(log.between(BASE + 3, BASE + 4).orElseThrow()).hasSize(1);
            assertThat(log.between(BASE + 4, BASE + 4).orElseThrow()).isEmpty();
            status.setRollbackOnly();
        });
    }

    @Test
    void rowsOlderThanTheRetentionArePruned() {
        tx.executeWithoutResult(status -> {
            log.record(BASE + 1, List.of(7L), List.of(11L));
            log.record(BASE + 2, List.of(7L), List.of(12L));
            jdbc.update("update embedding_addition set added_at = now() - interval '11 minutes' where generation = ?", BASE + 1);
            log.prune(Duration.ofMinutes(10));
            assertThat(jdbc.queryForList("select generation from embedding_addition where generation > ?", Long.class, BASE))
                    .containsExactly(BASE + 2);
            status.setRollbackOnly();
        });
    }
}
