package org.reid.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.reid.service.support.ServiceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code model_switch} rows read back as they are stored: a switch with no version to switch from
 * ({@code from_model_id} null, as after the version it came from was deleted: the foreign key sets
 * it null) reads as null, not as model 0. The rows are written and read in one transaction that is
 * rolled back, so the shared service sees none of them.
 */
class SwitchLogTest extends ServiceTest {
    @Autowired
    SwitchLog switches;

    @Autowired
    TransactionTemplate tx;

    @Test
    void aSwitchWithoutAFromVersionReadsAsNullAndOneWithItReadsItsId() {
        tx.executeWithoutResult(status -> {
            long active = jdbc.queryForObject("select id from model_version where state = 'active'", Long.class);
            jdbc.update("insert into model_switch (from_model_id, to_model_id, state, requested_by) values (null, ?, 'FAILED', 'test')",
                    active);
            SwitchStatus withoutFrom = switches.latest().orElseThrow();
            assertThat(withoutFrom.fromModelId()).as(withoutFrom.toString()).isNull();
            assertThat(withoutFrom.toModelId()).isEqualTo(active);

            jdbc.update("insert into model_switch (from_model_id, to_model_id, state, requested_by) values (?, ?, 'FAILED', 'test')",
                    active, active);
            SwitchStatus withFrom = switches.latest().orElseThrow();
            assertThat(withFrom.id()).isGreaterThan(withoutFrom.id());
            assertThat(withFrom.fromModelId()).isEqualTo(active);
            status.setRollbackOnly();
        });
    }
}
